import type { Database, DomainEvent, EventSubscriptions } from "@aftersales/kit";
import { z } from "zod";
import { lockStock, takeUsedParts } from "./stock.js";

/**
 * The other subgraphs' events the catalog applies. Each is applied once (the
 * kit's inbox keeps the ids of those applied), and payloads are read
 * leniently: only the fields used here are required, so a producer may add
 * fields without breaking this consumer.
 */

const partsUsedPayload = z.object({
  ticketNumber: z.string(),
  serviceCenterId: z.string(),
  parts: z.array(z.object({ partId: z.string(), quantity: z.number().int().positive() })),
});

/** `ticket.parts_used`: parts a repair took off the service center's shelf. */
async function applyPartsUsed(tx: Database, event: DomainEvent): Promise<void> {
  const usage = partsUsedPayload.parse(event.payload);
  for (const part of usage.parts) {
    // A part the service center never stocked gets its stock row here, at nothing on hand.
    const stock = await lockStock(tx, usage.serviceCenterId, part.partId);
    await takeUsedParts(tx, stock, part.quantity, `Ticket ${usage.ticketNumber}`);
  }
}

export const subscriptions: EventSubscriptions = {
  tickets: { "ticket.parts_used": applyPartsUsed },
};
