import type { Database } from "@aftersales/kit";
import { and, eq, isNotNull } from "drizzle-orm";
import type { ConversionKind } from "../domain/outcome.js";
import { coveredUnits, knownPurchases, knownUnits } from "./schema.js";

/**
 * Whether a conversion names something of the customer's that this
 * subgraph's copies know: a contract covering the customer's units, a
 * consumable purchase, a unit the customer owns. No event announces a
 * maintenance visit before it is done, so a visit is taken by its id.
 */
export async function conversionKnown(tx: Database, conversion: { kind: ConversionKind; id: string }, customerId: string): Promise<boolean> {
  switch (conversion.kind) {
    case "CONTRACT":
      return exists(
        tx
          .select({ id: coveredUnits.contractId })
          .from(coveredUnits)
          .where(and(eq(coveredUnits.contractId, conversion.id), eq(coveredUnits.customerId, customerId)))
          .limit(1),
      );
    case "PURCHASE":
      return exists(
        tx
          .select({ id: knownPurchases.id })
          .from(knownPurchases)
          .where(and(eq(knownPurchases.id, conversion.id), eq(knownPurchases.customerId, customerId)))
          .limit(1),
      );
    case "UNIT":
      return exists(
        tx
          .select({ id: knownUnits.id })
          .from(knownUnits)
          .where(and(eq(knownUnits.id, conversion.id), eq(knownUnits.customerId, customerId), isNotNull(knownUnits.customerId)))
          .limit(1),
      );
    case "VISIT":
      return true;
  }
}

const exists = async (rows: Promise<readonly unknown[]>) => (await rows).length > 0;
