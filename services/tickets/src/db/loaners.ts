import type { PayloadIn } from "@aftersales/events";
import { anyOf, newId, type Database, type Identity } from "@aftersales/kit";
import { and, asc, eq, isNull } from "drizzle-orm";
import { ticketLoaners, type LoanerRow, type TicketRow } from "./schema.js";
import { emitAboutTicket } from "./tickets.js";

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
 * Lends `unitId` on a ticket and announces it (`ticket.loaner_issued`, version
 * 1); null when the unit is out on another ticket. That ticket may be another
 * dealer's, which this caller cannot see: the unique index over every
 * dealer's loans answers for it.
 */
export async function lendUnit(tx: Database, ticket: TicketRow, unitId: string, at: Date, identity: Identity): Promise<LoanerRow | null> {
  const [row] = await tx
    .insert(ticketLoaners)
    .values({ id: newId("lnr"), ticketId: ticket.id, dealerId: ticket.dealerId, unitId, issuedAt: at, issuedBy: identity.subject })
    .onConflictDoNothing()
    .returning();
  if (!row) return null;
  await emitAboutTicket(tx, ticket, "ticket.loaner_issued", loanerFacts(ticket, row));
  return row;
}

/** Records a loaner's return and announces it (`ticket.loaner_returned`, version 1). */
export async function returnUnit(tx: Database, ticket: TicketRow, loaner: LoanerRow, at: Date, identity: Identity): Promise<void> {
  const [row] = await tx.update(ticketLoaners).set({ returnedAt: at, returnedBy: identity.subject }).where(eq(ticketLoaners.id, loaner.id)).returning();
  if (!row) throw new Error(`loaner ${loaner.id} vanished while its ticket was locked`);
  await emitAboutTicket(tx, ticket, "ticket.loaner_returned", { ...loanerFacts(ticket, row), returnedAt: at.toISOString() });
}

/** What the loaner events tell: ids and instants, not who lent it (a person's login) or to whom. */
const loanerFacts = (ticket: TicketRow, loaner: LoanerRow): PayloadIn<"loanerIssued"> => ({
  loanerId: loaner.id,
  ticketId: ticket.id,
  ticketNumber: ticket.number,
  dealerId: ticket.dealerId,
  serviceCenterId: ticket.serviceCenterId,
  unitId: loaner.unitId,
  issuedAt: loaner.issuedAt.toISOString(),
});
