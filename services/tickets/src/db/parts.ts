import { anyOf, newId, type Database, type Identity } from "@aftersales/kit";
import { asc } from "drizzle-orm";
import { ticketParts, type TicketRow } from "./schema.js";
import { emitAboutTicket } from "./tickets.js";

export function findPartsByTicketIds(db: Database, ticketIds: readonly string[]) {
  return db.select().from(ticketParts).where(anyOf(ticketParts.ticketId, ticketIds)).orderBy(asc(ticketParts.id));
}

/**
 * Records parts used on a locked ticket and announces them as one
 * `ticket.parts_used` event (version 1), from which the catalog lowers the
 * service center's stock: this subgraph never writes the catalog's tables.
 */
export async function recordPartsUsed(
  tx: Database,
  ticket: TicketRow,
  usage: { serviceCenterId: string; parts: { partId: string; quantity: number }[]; at: Date; identity: Identity },
): Promise<void> {
  const usageId = newId("tpu");
  await tx.insert(ticketParts).values(
    usage.parts.map((part, i) => ({
      // One id per line, in the order given; the usage id ties them to the event.
      id: `${usageId}_${String(i).padStart(2, "0")}`,
      ticketId: ticket.id,
      dealerId: ticket.dealerId,
      partId: part.partId,
      quantity: part.quantity,
      serviceCenterId: usage.serviceCenterId,
      usedAt: usage.at,
      actor: usage.identity.subject,
    })),
  );
  await emitAboutTicket(tx, ticket, "ticket.parts_used", {
    usageId,
    ticketId: ticket.id,
    ticketNumber: ticket.number,
    dealerId: ticket.dealerId,
    serviceCenterId: usage.serviceCenterId,
    usedAt: usage.at.toISOString(),
    parts: usage.parts,
  });
}
