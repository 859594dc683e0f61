import { anyOf, newId, type Database, type Identity } from "@aftersales/kit";
import { and, asc, eq, isNull } from "drizzle-orm";
import { ticketLoaners, type LoanerRow, type TicketRow } from "./schema.js";

export function findLoanersByTicketIds(db: Database, ticketIds: readonly string[]) {
  return db.select().from(ticketLoaners).where(anyOf(ticketLoaners.ticketId, ticketIds)).orderBy(asc(ticketLoaners.id));
}

/** The loaner out on a locked ticket, if any. */
export async function loanerOut(tx: Database, ticketId: string): Promise<LoanerRow | null> {
  const [row] = await tx
    .select()
    .from(ticketLoaners)
    .where(and(eq(ticketLoaners.ticketId, ticketId), isNull(ticketLoaners.returnedAt)));
  return row ?? null;
}

/**
 * Lends `unitId` on a ticket; null when the unit is out on another ticket.
 * That ticket may be another dealer's, which this caller cannot see: the
 * unique index over every dealer's loans answers for it.
 */
export async function lendUnit(tx: Database, ticket: TicketRow, unitId: string, at: Date, identity: Identity): Promise<LoanerRow | null> {
  const [row] = await tx
    .insert(ticketLoaners)
    .values({ id: newId("lnr"), ticketId: ticket.id, dealerId: ticket.dealerId, unitId, issuedAt: at, issuedBy: identity.subject })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

export async function returnUnit(tx: Database, loanerId: string, at: Date, identity: Identity): Promise<void> {
  await tx.update(ticketLoaners).set({ returnedAt: at, returnedBy: identity.subject }).where(eq(ticketLoaners.id, loanerId));
}
