import type { PayloadIn } from "@aftersales/events";
import {
  afterCursor,
  anyOf,
  countRows,
  currentVersion,
  dealerFilter,
  emitEvent,
  formatAmount,
  orderOf,
  sortKey,
  userError,
  versionedRows,
  type Database,
  type Identity,
  type Page,
} from "@aftersales/kit";
import { and, asc, between, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { ClaimStatus } from "../domain/adjudication.js";
import type { WarrantyErrorCode } from "../domain/errors.js";
import { inCallersScope } from "../domain/scope.js";
import type { Loaders } from "./loaders.js";
import { claimedFailures, claimHistory, claimLines, outbox, warrantyClaims, type ClaimHistoryRow, type ClaimLineRow, type ClaimRow } from "./schema.js";

const claimRows = versionedRows(warrantyClaims, "wcl");

export const lockClaim = claimRows.lock;
export const saveClaim = claimRows.save;

export function findClaimsByIds(db: Database, identity: Identity, ids: readonly string[]) {
  return db
    .select()
    .from(warrantyClaims)
    .where(and(anyOf(warrantyClaims.id, ids), dealerFilter(warrantyClaims.dealerId, identity)));
}

export function findClaimsByNumbers(db: Database, identity: Identity, numbers: readonly string[]) {
  return db
    .select()
    .from(warrantyClaims)
    .where(and(anyOf(warrantyClaims.number, numbers), dealerFilter(warrantyClaims.dealerId, identity)));
}

export function findClaimsByUnitIds(db: Database, identity: Identity, unitIds: readonly string[]) {
  return db
    .select()
    .from(warrantyClaims)
    .where(and(anyOf(warrantyClaims.unitId, unitIds), dealerFilter(warrantyClaims.dealerId, identity)))
    .orderBy(sql`${warrantyClaims.createdAt} desc`);
}

export function findLinesByClaimIds(db: Database, claimIds: readonly string[]) {
  return db.select().from(claimLines).where(anyOf(claimLines.claimId, claimIds)).orderBy(asc(claimLines.lineNumber));
}

export function findHistoryByClaimIds(db: Database, claimIds: readonly string[]) {
  return db.select().from(claimHistory).where(anyOf(claimHistory.claimId, claimIds)).orderBy(asc(claimHistory.sequence));
}

/** Lists of claims are newest first. */
// Ids begin with their creation time, so the newest come first; an id is unique and exact, unlike a timestamp read back into JavaScript.
export const claimOrder = sortKey([warrantyClaims.id], (row: ClaimRow) => [row.id], "desc");

export interface ClaimFilter {
  statuses?: readonly ClaimStatus[] | null;
  dealerId?: string | null;
  unitId?: string | null;
  productId?: string | null;
  failureCode?: string | null;
}

/** The claims a list holds: what the filter asks for, a DEALER's own only. */
function claimsListed(identity: Identity, filter: ClaimFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [dealerFilter(warrantyClaims.dealerId, identity)];
  if (filter.statuses?.length) conditions.push(inArray(warrantyClaims.status, [...filter.statuses]));
  if (filter.dealerId) conditions.push(eq(warrantyClaims.dealerId, filter.dealerId));
  if (filter.unitId) conditions.push(eq(warrantyClaims.unitId, filter.unitId));
  if (filter.productId) conditions.push(eq(warrantyClaims.productId, filter.productId));
  if (filter.failureCode) conditions.push(eq(warrantyClaims.failureCode, filter.failureCode));
  return and(...conditions);
}

/** How many claims a list holds, whole. */
export const countClaims = (db: Database, identity: Identity, filter: ClaimFilter) => countRows(db, warrantyClaims, claimsListed(identity, filter));

export function listClaims(db: Database, identity: Identity, filter: ClaimFilter, page: Page) {
  return db
    .select()
    .from(warrantyClaims)
    .where(and(afterCursor(claimOrder, page), claimsListed(identity, filter)))
    .orderBy(...orderOf(claimOrder))
    .limit(page.limit + 1);
}

/**
 * The first claim for the same unit and failure date, by any dealer, or null
 * after recording this claim as the first; `claimed_failures`' key makes two
 * claims filed at once agree on which came first.
 */
export async function claimFailureOnce(tx: Database, failure: { unitId: string; failureOn: string; claimNumber: string }): Promise<string | null> {
  const inserted = await tx.insert(claimedFailures).values(failure).onConflictDoNothing().returning();
  if (inserted.length) return null;
  const [first] = await tx
    .select()
    .from(claimedFailures)
    .where(and(eq(claimedFailures.unitId, failure.unitId), eq(claimedFailures.failureOn, failure.failureOn)));
  if (!first) throw new Error("claimed failure vanished");
  return first.claimNumber;
}

export async function insertClaim(
  tx: Database,
  claim: Omit<ClaimRow, "id" | "version" | "createdAt" | "updatedAt">,
  lines: readonly Omit<ClaimLineRow, "claimId">[],
): Promise<ClaimRow> {
  const row = await claimRows.insert(tx, claim);
  await tx.insert(claimLines).values(lines.map((line) => ({ ...line, claimId: row.id })));
  return row;
}

export async function saveLine(tx: Database, claimId: string, lineNumber: number, values: Partial<ClaimLineRow>): Promise<void> {
  await tx
    .update(claimLines)
    .set(values)
    .where(and(eq(claimLines.claimId, claimId), eq(claimLines.lineNumber, lineNumber)));
}

export async function appendHistory(tx: Database, claim: ClaimRow, entry: Omit<ClaimHistoryRow, "claimId" | "sequence" | "dealerId" | "at">): Promise<void> {
  await tx.insert(claimHistory).values({
    ...entry,
    claimId: claim.id,
    dealerId: claim.dealerId,
    // The claim row is locked (or new), so no other entry takes this number meanwhile.
    sequence: sql`(select coalesce(max(${claimHistory.sequence}), 0) + 1 from ${claimHistory} where ${claimHistory.claimId} = ${claim.id})`,
  });
}

export interface ClaimStatsRow {
  productId: string;
  failureCode: string;
  claims: number;
  rejected: number;
  unitsSold: number;
  currency: string;
  claimed: string;
  approved: string;
}

/** Claims per product and failure code with repair dates in [from, to], in the caller's scope; duplicates not counted. */
export function claimTotals(db: Database, identity: Identity, args: { from: string; to: string; productId: string | null }) {
  return db
    .select({
      productId: warrantyClaims.productId,
      failureCode: warrantyClaims.failureCode,
      currency: warrantyClaims.currency,
      claims: sql<number>`count(*)::int`,
      rejected: sql<number>`(count(*) filter (where ${warrantyClaims.status} = 'REJECTED'))::int`,
      // Written with the currency's decimals when answered (moneyOf).
      claimed: sql<string>`sum(${warrantyClaims.claimedTotal})::text`,
      approved: sql<string>`sum(${warrantyClaims.approvedTotal})::text`,
    })
    .from(warrantyClaims)
    .where(
      and(
        between(warrantyClaims.repairOn, args.from, args.to),
        // A duplicate reports a failure already counted.
        isNull(warrantyClaims.duplicateOf),
        args.productId ? eq(warrantyClaims.productId, args.productId) : undefined,
        dealerFilter(warrantyClaims.dealerId, identity),
      ),
    )
    .groupBy(warrantyClaims.productId, warrantyClaims.failureCode, warrantyClaims.currency)
    .orderBy(warrantyClaims.productId, warrantyClaims.failureCode);
}

// ---------------------------------------------------------------------------
// What the claim mutations need besides the rows themselves
// ---------------------------------------------------------------------------

/**
 * The claim a change names, locked until the transaction ends, in the
 * caller's scope (another dealer's claim is answered like a missing one;
 * row-level security hides it too) and at the version the client read.
 */
export async function lockClaimInScope(tx: Database, identity: Identity, input: { id: string; version: number }): Promise<ClaimRow> {
  return currentVersion(
    inCallersScope(await lockClaim(tx, input.id), identity),
    input.version,
    userError<WarrantyErrorCode>("CLAIM_NOT_FOUND", `No warranty claim has the id \`${input.id}\`.`, ["id"]),
  );
}

/** The statuses a claim's history went through, oldest first. */
export async function statusesOf(tx: Database, claimId: string): Promise<ClaimStatus[]> {
  const rows = await tx
    .select({ statusAfter: claimHistory.statusAfter })
    .from(claimHistory)
    .where(eq(claimHistory.claimId, claimId))
    .orderBy(asc(claimHistory.sequence));
  return rows.map((row) => row.statusAfter);
}

/**
 * Drops what the request's loaders remember of a claim a mutation changed,
 * so the payload (and any later mutation of the same operation) reads it as
 * it is now.
 */
export function forgetClaim(loaders: Loaders, claim: ClaimRow): void {
  loaders.claimById.clear(claim.id);
  loaders.claimByNumber.clear(claim.number);
  loaders.claimsByUnitId.clear(claim.unitId);
  loaders.linesByClaimId.clear(claim.id);
  loaders.historyByClaimId.clear(claim.id);
}

export type ClaimEventType = "claim.filed" | "claim.adjudicated" | "claim.sent_back" | "claim.answered" | "claim.paid";

/** A claim's domain event, with the claim as it is after the change. */
export function emitClaimEvent(tx: Database, type: ClaimEventType, claim: ClaimRow): Promise<void> {
  return emitEvent<PayloadIn<"claim">>(tx, outbox, {
    type,
    aggregate: "claim",
    aggregateId: claim.id,
    dealerId: claim.dealerId,
    payload: {
      id: claim.id,
      number: claim.number,
      version: claim.version,
      dealerId: claim.dealerId,
      unitId: claim.unitId,
      productId: claim.productId,
      failureCode: claim.failureCode,
      failureOn: claim.failureOn,
      repairOn: claim.repairOn,
      status: claim.status,
      claimedTotal: formatAmount(claim.claimedTotal, claim.currency),
      approvedTotal: formatAmount(claim.approvedTotal, claim.currency),
      currency: claim.currency,
      coverageKind: claim.coverageKind,
    },
  });
}
