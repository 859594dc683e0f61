/** Customers dispatch cannot serve: one whose location was never recorded, one who moved away. */
import { EQUIPMENT } from "../data.js";
import type { Random } from "../random.js";
import type { DemoUnit } from "../world.js";
import type { DemoCustomerMove, TicketsWorldPart } from "./types.js";

/** Where the customer who moved now lives: well beyond Hudson's 40 km, and Chicago is no longer authorized. */
const PHILADELPHIA = {
  address: { street: "2107 Walnut Street", postalCode: "19103", city: "Philadelphia, PA", country: "US" },
  location: { latitude: 39.9506, longitude: -75.1764 },
};

/**
 * A London customer whose location was never recorded (the shop took the
 * address on paper), and a New York customer who moved to Philadelphia and
 * kept their dealer: each owns a unit in use, and no service contract.
 */
export function outOfReach(random: Random, world: TicketsWorldPart, contracted: ReadonlySet<string>, live: (u: DemoUnit) => boolean): DemoCustomerMove[] {
  const owners = (dealer: string) => {
    const withContract = new Set(world.units.filter((u) => contracted.has(u.serialNumber)).map((u) => u.owner));
    const keys = new Set(
      world.units
        .filter((u) => live(u) && u.status !== "IN_REPAIR" && !contracted.has(u.serialNumber) && EQUIPMENT[u.productSku]?.setup === "install")
        .map((u) => u.owner ?? ""),
    );
    return world.customers.filter((c) => c.homeDealer === dealer && c.kind === "CONSUMER" && keys.has(c.key) && !withContract.has(c.key));
  };
  const moves: DemoCustomerMove[] = [];
  const unlocated = owners("dealer-london");
  if (unlocated.length) {
    const customer = random.pick(unlocated);
    moves.push({
      customer: customer.key,
      address: customer.address,
      location: null,
      why: "Signed up in the shop on paper; the address was never placed on the map.",
    });
  }
  const movedAway = owners("dealer-newyork");
  if (movedAway.length) {
    const customer = random.pick(movedAway);
    moves.push({ customer: customer.key, ...PHILADELPHIA, why: "Moved to Philadelphia and kept Hudson as their dealer." });
  }
  return moves;
}
