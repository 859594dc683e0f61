import { anyOf, lockUntilCommit, newId, type Database } from "@aftersales/kit";
import { asc, desc, eq } from "drizzle-orm";
import type { PolicyTerms } from "../domain/coverage.js";
import { warrantyPolicies, type PolicyRow } from "./schema.js";

export function policyTermsOf(row: PolicyRow): PolicyTerms {
  return {
    id: row.id,
    productId: row.productId,
    version: row.version,
    effectiveFrom: row.effectiveFrom,
    months: row.months,
    startBasis: row.startBasis,
    partsShare: row.partsShare,
    laborShare: row.laborShare,
    serviceMode: row.serviceMode,
    transferable: row.transferable,
    exclusions: row.exclusions,
  };
}

/** Every version of each product's policy, oldest first. */
export function findPoliciesByProductIds(db: Database, productIds: readonly string[]) {
  return db.select().from(warrantyPolicies).where(anyOf(warrantyPolicies.productId, productIds)).orderBy(asc(warrantyPolicies.version));
}

/** The product's latest version, read under a lock on the product's policies so two new versions never take one number. */
export async function latestPolicyOf(tx: Database, productId: string): Promise<PolicyRow | null> {
  await lockUntilCommit(tx, "warranty.warranty_policies", productId);
  const [row] = await tx.select().from(warrantyPolicies).where(eq(warrantyPolicies.productId, productId)).orderBy(desc(warrantyPolicies.version)).limit(1);
  return row ?? null;
}

export async function insertPolicy(tx: Database, values: Omit<PolicyRow, "id" | "createdAt">): Promise<PolicyRow> {
  const [row] = await tx
    .insert(warrantyPolicies)
    .values({ ...values, id: newId("wpl") })
    .returning();
  if (!row) throw new Error("insert returned no policy");
  return row;
}
