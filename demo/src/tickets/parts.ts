/** What failed on a ticket's unit, and the parts its fix takes from a service center's shelf. */
import { PRODUCTS, type FailureMode } from "../data.js";
import type { Random } from "../random.js";
import type { DemoCustomer, DemoUnit } from "../world.js";
import { dispatchOf } from "./dispatch.js";
import type { Template } from "./templates.js";
import type { TicketsWorldPart } from "./types.js";

export const productTemplate = (sku: string) => PRODUCTS.find((p) => p.sku === sku);
export const partName = (sku: string) => productTemplate(sku)?.name ?? sku;

/** The failure the world recorded for a unit in repair. */
export function recordedFailure(unit: DemoUnit): FailureMode | undefined {
  if (unit.status !== "IN_REPAIR") return undefined;
  const started = [...unit.events].reverse().find((e) => e.kind === "REPAIR_STARTED");
  const code = started && "failureCode" in started ? started.failureCode : undefined;
  return productTemplate(unit.productSku)?.failureModes?.find((m) => m.code === code);
}

/** The failure a ticket is about: the one the world recorded for a unit in repair, else one of the product's. */
export function failureFor(random: Random, unit: DemoUnit, template: Template, world: TicketsWorldPart, center: string | null): FailureMode | null {
  const modes = productTemplate(unit.productSku)?.failureModes ?? [];
  const recorded = recordedFailure(unit);
  if (recorded) return recorded;
  if (!modes.length) return null;
  if (template.parts && center) {
    const stocked = modes.filter((m) => m.partSku && safeStock(world, center, m.partSku, quantityOf(unit.productSku, m.partSku)));
    if (stocked.length) return random.pick(stocked);
  }
  // Waiting for parts wants a failure whose fix takes one.
  const withPart = modes.filter((m) => m.partSku);
  return template.path === "waitingParts" && withPart.length ? random.pick(withPart) : random.pick(modes);
}

export const quantityOf = (sku: string, partSku: string) => productTemplate(sku)?.billOfMaterials?.find((line) => line.partSku === partSku)?.quantity ?? 1;

/**
 * Whether a service center's shelf holds the part with room to spare: taking
 * `quantity` leaves it above its reorder point, and it was not overstocked,
 * so the demo's shortages and overstock stay what the world says.
 */
export function safeStock(world: TicketsWorldPart, center: string, partSku: string, quantity: number): boolean {
  const stock = world.partStocks.find((s) => s.serviceCenter === center && s.partSku === partSku);
  return stock !== undefined && !stock.overstock && stock.finalOnHand - quantity > stock.reorderPoint;
}

/** The center dispatch would choose for a repair of `unit`, and a failure whose part that center stocks well; null when there is none. */
export function partsPlan(world: TicketsWorldPart, unit: DemoUnit, customer: DemoCustomer, openWork: ReadonlyMap<string, number>) {
  const category = world.products.find((p) => p.sku === unit.productSku)?.category ?? "";
  const center = dispatchOf(world, customer, category, openWork).serviceCenter;
  if (!center) return null;
  const recorded = recordedFailure(unit);
  const modes = recorded ? [recorded] : (productTemplate(unit.productSku)?.failureModes ?? []);
  const fit = modes.find((m) => m.partSku && safeStock(world, center, m.partSku, quantityOf(unit.productSku, m.partSku)));
  return fit ? { center, failure: fit } : null;
}
