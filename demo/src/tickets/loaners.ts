import type { Random } from "../random.js";
import type { DemoUnit } from "../world.js";
import type { DemoTicket, TicketsWorldPart } from "./types.js";

/** A unit on the shelf of the ticket's dealer (or service center) to lend: the same product if there is one. */
export function loanerFor(random: Random, world: TicketsWorldPart, ticket: DemoTicket, unit: DemoUnit | null, lent: ReadonlySet<string>): string | null {
  const shelf = world.units.filter(
    (u) => u.status === "IN_STOCK" && u.owner === null && (u.dealer === ticket.dealer || u.dealer === ticket.serviceCenter) && !lent.has(u.serialNumber),
  );
  const same = shelf.filter((u) => u.productSku === unit?.productSku);
  const pool = same.length ? same : shelf;
  return pool.length ? random.pick(pool).serialNumber : null;
}
