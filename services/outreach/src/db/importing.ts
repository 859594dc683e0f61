import { anyOf, emitEvents, newId, type Database } from "@aftersales/kit";
import { sql } from "drizzle-orm";
import type { ConversionKind, ItemStatus, Outcome } from "../domain/outcome.js";
import { channelsOf, rankOf, type Channel, type ReasonKind } from "../domain/reasons.js";
import { items, knownCustomers, outbox, reasons, type ItemRow, type ReasonRow } from "./schema.js";
import { itemEvents, refreshCustomer } from "./worklist.js";

/** A reason named by an import, as found: the row, and the status of the item it is on (null: on none). */
export interface FoundReason {
  row: ReasonRow;
  itemStatus: ItemStatus | null;
}

const keyOf = (customerId: string, kind: string, subjectId: string) => `${customerId} ${kind} ${subjectId}`;

/** The reasons an import names, by customer, kind and subject, locked, and the statuses of their items: two statements for all. */
export async function findReasonsForImport(
  tx: Database,
  named: readonly { customerId: string; kind: ReasonKind; subjectId: string }[],
): Promise<Map<string, FoundReason>> {
  const keys = named.map(({ customerId, kind, subjectId }) => ({ c: customerId, k: kind, s: subjectId }));
  const rows = await tx
    .select()
    .from(reasons)
    .where(
      sql`(${reasons.customerId}, ${reasons.kind}, ${reasons.subjectId}) in
        (select v.c, v.k, v.s from jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) as v(c text, k text, s text))`,
    )
    .for("update");
  const itemIds = rows.flatMap((row) => (row.itemId ? [row.itemId] : []));
  const statuses = itemIds.length ? await tx.select({ id: items.id, status: items.status }).from(items).where(anyOf(items.id, itemIds)) : [];
  const statusOf = new Map(statuses.map((item) => [item.id, item.status]));
  return new Map(rows.map((row) => [reasonKey(row), { row, itemStatus: row.itemId ? (statusOf.get(row.itemId) ?? null) : null }]));
}

export const reasonKey = (reason: { customerId: string; kind: string; subjectId: string }) => keyOf(reason.customerId, reason.kind, reason.subjectId);

/** One imported item: the reason it worked and what came of it. */
export interface ImportedItemDraft {
  reason: FoundReason;
  openedAt: Date;
  dueOn: string;
  attempts: readonly Date[];
  outcome: Exclude<Outcome, "NO_ANSWER">;
  outcomeAt: Date;
  channel: Channel | null;
  note: string | null;
  conversion: { kind: ConversionKind; id: string } | null;
}

/**
 * Writes imported items in a handful of statements: the items as they
 * closed, their reasons moved onto them, and the events a live worklist
 * would have written (opened, then closed, at those times). Customers whose
 * open item lost a reason to the import get it worked out again.
 */
export async function recordImportedItems(tx: Database, drafts: readonly ImportedItemDraft[], recordedBy: string, now: Date): Promise<ItemRow[]> {
  const customerIds = [...new Set(drafts.map((draft) => draft.reason.row.customerId))];
  const customers = new Map((await tx.select().from(knownCustomers).where(anyOf(knownCustomers.id, customerIds))).map((c) => [c.id, c]));
  const rows: ItemRow[] = drafts.map((draft) => {
    const reason = draft.reason.row;
    const customer = customers.get(reason.customerId);
    // A customer not known yet: the reason's dealer, and the channel the dealer used.
    const channels = customer ? channelsOf({ phone: customer.phoneConsent, email: customer.emailConsent }) : draft.channel ? [draft.channel] : [];
    return {
      id: newId("otr"),
      // Opened as version 1; each unanswered attempt and the outcome changed it once more.
      version: 2 + draft.attempts.length,
      dealerId: customer?.homeDealerId ?? reason.dealerId,
      customerId: reason.customerId,
      status: draft.outcome,
      reason: reason.kind,
      rank: rankOf(reason.kind),
      dueOn: draft.dueOn,
      channels,
      attempts: draft.attempts.length,
      openedAt: draft.openedAt,
      closedAt: draft.outcomeAt,
      closedBecause: null,
      outcome: draft.outcome,
      outcomeChannel: draft.channel,
      outcomeNote: draft.note,
      outcomeAt: draft.outcomeAt,
      recordedBy,
      firstOutcomeAt: draft.attempts[0] ?? draft.outcomeAt,
      conversionKind: draft.conversion?.kind ?? null,
      conversionId: draft.conversion?.id ?? null,
    };
  });
  const saved = await tx.insert(items).values(rows).returning();
  // Each reason moves onto its item with the time it came due then; what the item did with it replaces a moot verdict.
  const moves = drafts.map((draft, i) => ({ id: draft.reason.row.id, item_id: rows[i]!.id, dealer_id: rows[i]!.dealerId, due_on: draft.dueOn }));
  await tx.execute(sql`update outreach.reasons r
    set item_id = v.item_id, dealer_id = v.dealer_id, due_on = v.due_on, moot_at = null, moot_because = null
    from jsonb_to_recordset(${JSON.stringify(moves)}::jsonb) as v(id text, item_id text, dealer_id text, due_on date)
    where r.id = v.id`);
  const byId = new Map(saved.map((row) => [row.id, row]));
  const events = rows.flatMap((row, i) => {
    const reason = { ...drafts[i]!.reason.row, itemId: row.id, dealerId: row.dealerId, dueOn: row.dueOn, mootAt: null, mootBecause: null };
    const opened: ItemRow = {
      ...row,
      version: 1,
      status: "OPEN",
      attempts: 0,
      closedAt: null,
      outcome: null,
      outcomeChannel: null,
      outcomeNote: null,
      outcomeAt: null,
      recordedBy: null,
      firstOutcomeAt: null,
      conversionKind: null,
      conversionId: null,
    };
    return [...itemEvents("outreach.opened", opened, [reason]), ...itemEvents("outreach.closed", byId.get(row.id) ?? row, [reason])];
  });
  await emitEvents(tx, outbox, events);
  const waiting = new Set(drafts.filter((draft) => draft.reason.itemStatus === "OPEN").map((draft) => draft.reason.row.customerId));
  for (const customerId of waiting) await refreshCustomer(tx, customerId, now, "An imported item worked its reasons before.");
  return rows.map((row) => byId.get(row.id) ?? row);
}
