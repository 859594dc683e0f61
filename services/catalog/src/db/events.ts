import type { PayloadIn } from "@aftersales/events";
import { emitEvent, emitEvents, moneyOf, type Database } from "@aftersales/kit";
import { eq } from "drizzle-orm";
import type { UnitEventKind } from "../domain/unit.js";
import {
  bomLines,
  outbox,
  repairStandards,
  type BomLineRow,
  type ConsumablePurchaseRow,
  type ForecastRow,
  type ProductRow,
  type RepairStandardRow,
  type UnitRow,
} from "./schema.js";

/**
 * The catalog's events carry the aggregate as it is after the change
 * (version 1 of each payload), so a consumer keeps its own copy of what it
 * needs without asking the catalog.
 */

/** `unit.<event kind>`, e.g. `unit.sold`, `unit.transferred`: the unit after the event, and the event. */
export function emitUnitEvent(tx: Database, unit: UnitRow, event: { kind: UnitEventKind; occurredOn: string }) {
  return emitUnitEvents(tx, [{ unit, event }]);
}

/** `unit.<kind>` events of many units at once, each with the unit as it stood after it, in the order given. */
export function emitUnitEvents(tx: Database, events: readonly { unit: UnitStateColumns; event: { kind: UnitEventKind; occurredOn: string } }[]) {
  return emitEvents(
    tx,
    outbox,
    events.map(({ unit, event }) => ({
      type: `unit.${event.kind.toLowerCase()}`,
      aggregate: "unit",
      aggregateId: unit.id,
      dealerId: unit.dealerId,
      payload: unitState(unit, event),
    })),
  );
}

/** What of a unit its events carry. */
export type UnitStateColumns = Pick<
  UnitRow,
  | "id"
  | "version"
  | "serialNumber"
  | "productId"
  | "status"
  | "dealerId"
  | "customerId"
  | "purchasePrice"
  | "purchaseCurrency"
  | "soldOn"
  | "deliveredOn"
  | "installedOn"
  | "retiredOn"
>;

/** A unit as its events carry it, with its latest event; also what other subgraphs are told when they ask. */
export function unitState(unit: UnitStateColumns, event: { kind: UnitEventKind; occurredOn: string }): PayloadIn<"unit"> {
  return {
    id: unit.id,
    version: unit.version,
    serialNumber: unit.serialNumber,
    productId: unit.productId,
    status: unit.status,
    dealerId: unit.dealerId,
    customerId: unit.customerId,
    purchasePrice: unit.purchasePrice === null || unit.purchaseCurrency === null ? null : moneyOf(unit.purchasePrice, unit.purchaseCurrency),
    soldOn: unit.soldOn,
    deliveredOn: unit.deliveredOn,
    installedOn: unit.installedOn,
    retiredOn: unit.retiredOn,
    event: { kind: event.kind, occurredOn: event.occurredOn },
  };
}

/** `product.created`, `product.updated`, `product.lifecycle_changed`: the product with its parts and repair standards. */
export async function emitProductEvent(tx: Database, type: "product.created" | "product.updated" | "product.lifecycle_changed", product: ProductRow) {
  const bom = await tx.select().from(bomLines).where(eq(bomLines.productId, product.id));
  const standards = await tx.select().from(repairStandards).where(eq(repairStandards.productId, product.id));
  await emitEvent(tx, outbox, { type, aggregate: "product", aggregateId: product.id, dealerId: null, payload: productState(product, bom, standards) });
}

/** A product as its events carry it; also what other subgraphs are told when they ask. */
export function productState(product: ProductRow, bom: readonly BomLineRow[], standards: readonly RepairStandardRow[]): PayloadIn<"product"> {
  return {
    id: product.id,
    version: product.version,
    sku: product.sku,
    name: product.name,
    kind: product.kind,
    category: product.category,
    lifecycleStage: product.lifecycleStage,
    listPrice: moneyOf(product.listPrice, product.currency),
    billOfMaterials: bom.map((line) => ({ partId: line.partId, quantity: line.quantity, serviceableSeparately: line.serviceableSeparately })),
    repairStandards: standards.map((standard) => ({ failureCode: standard.failureCode, hours: standard.hours })),
    // What outreach offers owners from: the model's end, its successor, how long its parts last.
    discontinuedOn: product.discontinuedOn,
    partsGuaranteedUntil: product.partsGuaranteedUntil,
    successorId: product.successorId,
  };
}

/**
 * `consumable.purchased`: a customer's purchase of a consumable, with the
 * selling dealer's forecast as the purchase left it, so outreach offers the
 * refill before the customer runs out without asking the catalog.
 */
export async function emitPurchaseEvent(tx: Database, purchase: ConsumablePurchaseRow, forecast: ForecastRow) {
  await emitEvent<PayloadIn<"consumablePurchase">>(tx, outbox, {
    type: "consumable.purchased",
    aggregate: "consumable",
    aggregateId: purchase.id,
    dealerId: purchase.dealerId,
    payload: {
      id: purchase.id,
      dealerId: purchase.dealerId,
      customerId: purchase.customerId,
      productId: purchase.productId,
      quantity: purchase.quantity,
      purchasedOn: purchase.purchasedOn,
      forecast: { runsOutOn: forecast.runsOutOn, method: forecast.method },
    },
  });
}
