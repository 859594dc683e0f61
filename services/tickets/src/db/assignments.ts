import { anyOf, type Database } from "@aftersales/kit";
import { and, eq, sql } from "drizzle-orm";
import { isOpen } from "../domain/lifecycle.js";
import { ticketAssignments, type TicketRow } from "./schema.js";

/** Keeps the shared record of who works a ticket in step with the ticket, in the same transaction. */
export async function trackAssignment(tx: Database, ticket: TicketRow): Promise<void> {
  if (ticket.serviceCenterId === null) {
    await tx.delete(ticketAssignments).where(eq(ticketAssignments.ticketId, ticket.id));
    return;
  }
  const row = { serviceCenterId: ticket.serviceCenterId, technicianId: ticket.technicianId, open: isOpen(ticket.status) };
  await tx
    .insert(ticketAssignments)
    .values({ ticketId: ticket.id, ...row })
    .onConflictDoUpdate({ target: ticketAssignments.ticketId, set: row });
}

/** Open tickets per service center and per technician, across every dealer. */
export async function openWork(db: Database, serviceCenterIds: readonly string[]) {
  const rows = await db
    .select({ serviceCenterId: ticketAssignments.serviceCenterId, technicianId: ticketAssignments.technicianId, count: sql<number>`count(*)::int` })
    .from(ticketAssignments)
    .where(and(anyOf(ticketAssignments.serviceCenterId, serviceCenterIds), eq(ticketAssignments.open, true)))
    .groupBy(ticketAssignments.serviceCenterId, ticketAssignments.technicianId);
  const byCenter = new Map<string, number>();
  const byTechnician = new Map<string, number>();
  for (const row of rows) {
    byCenter.set(row.serviceCenterId, (byCenter.get(row.serviceCenterId) ?? 0) + row.count);
    if (row.technicianId) byTechnician.set(row.technicianId, (byTechnician.get(row.technicianId) ?? 0) + row.count);
  }
  return { byCenter, byTechnician };
}
