/** Products and their lifecycle, the installed base, consumable purchases and parts stock (catalog subgraph). */
import type { DemoUnit, DemoWorld } from "../world.js";
import { customer, dealer, product, unit, type Operation, type RefKey, type Refs } from "./operations.js";

export function productOps(world: DemoWorld): Operation[] {
  return world.products.map(({ billOfMaterials, fittingSkus, replenishmentCycleDays, ...input }) => {
    const needs = [...billOfMaterials.map((line) => product(line.partSku)), ...fittingSkus.map(product)];
    return {
      label: `product ${input.sku}`,
      mutation: "createProduct",
      inputType: "CreateProductInput",
      needs,
      input: (refs) => ({
        ...input,
        ...(replenishmentCycleDays === null ? {} : { replenishmentCycleDays }),
        billOfMaterials: billOfMaterials.map(({ partSku, ...line }) => ({ ...line, partId: refs.id(product(partSku)) })),
        fittingIds: fittingSkus.map((sku) => refs.id(product(sku))),
      }),
      creates: { field: "product", as: product(input.sku) },
    };
  });
}

export function discontinuationOps(world: DemoWorld): Operation[] {
  return world.discontinuations.map((change) => ({
    label: `discontinuation of ${change.sku}`,
    mutation: "changeProductLifecycle",
    inputType: "ChangeProductLifecycleInput",
    needs: [product(change.sku), product(change.successorSku)],
    input: (refs) => ({
      productId: refs.id(product(change.sku)),
      version: refs.get(product(change.sku)).version,
      stage: "DISCONTINUED",
      effectiveOn: change.effectiveOn,
      partsGuaranteeYears: change.partsGuaranteeYears,
      successorId: refs.id(product(change.successorSku)),
      note: change.note,
    }),
    creates: { field: "product", as: product(change.sku) },
  }));
}

/** Units sent per `importUnits`: a transaction of a few hundred statements' worth, not one of the whole installed base. */
export const UNITS_PER_IMPORT = 50;

/** The installed base, each unit with its whole history, in imports of `UNITS_PER_IMPORT` (their ids are remembered for service contracts). */
export function unitImportOps(world: DemoWorld): Operation[] {
  const chunks: DemoUnit[][] = [];
  for (let i = 0; i < world.units.length; i += UNITS_PER_IMPORT) chunks.push(world.units.slice(i, i + UNITS_PER_IMPORT));
  return chunks.map((chunk) => {
    const [first, last] = [chunk[0]!, chunk[chunk.length - 1]!];
    const needs = new Set<RefKey>();
    for (const demoUnit of chunk) {
      needs.add(product(demoUnit.productSku));
      for (const event of demoUnit.events) {
        if ("dealer" in event) needs.add(dealer(event.dealer));
        if ("customer" in event) needs.add(customer(event.customer));
      }
    }
    return {
      label: `units ${first.serialNumber} to ${last.serialNumber} with their events`,
      mutation: "importUnits",
      inputType: "ImportUnitsInput",
      needs: [...needs],
      input: (refs) => ({ units: chunk.map((demoUnit) => importedUnit(demoUnit, refs)) }),
      createsEach: { field: "units", as: chunk.map((demoUnit) => unit(demoUnit.serialNumber)) },
    };
  });
}

function importedUnit(demoUnit: DemoUnit, refs: Refs): Record<string, unknown> {
  const [registered, ...events] = demoUnit.events;
  if (registered?.kind !== "REGISTERED") throw new Error(`Demo seed bug: unit ${demoUnit.serialNumber} does not start with its registration.`);
  return {
    serialNumber: demoUnit.serialNumber,
    productId: refs.id(product(demoUnit.productSku)),
    dealerId: refs.id(dealer(registered.dealer)),
    registeredOn: registered.occurredOn,
    events: events.map((event) => {
      switch (event.kind) {
        case "REGISTERED":
          throw new Error(`Demo seed bug: unit ${demoUnit.serialNumber} is registered twice.`);
        case "SOLD":
          return {
            kind: "SOLD",
            occurredOn: event.occurredOn,
            customerId: refs.id(customer(event.customer)),
            dealerId: refs.id(dealer(event.dealer)),
            price: event.price,
          };
        case "TRANSFERRED":
          return { kind: "TRANSFERRED", occurredOn: event.occurredOn, customerId: refs.id(customer(event.customer)), note: event.note };
        default:
          return { kind: event.kind, occurredOn: event.occurredOn, note: event.note };
      }
    }),
  };
}

export function purchaseOps(world: DemoWorld): Operation[] {
  return world.purchases.map((purchase) => ({
    label: `purchase of ${purchase.productSku} by ${purchase.customer} on ${purchase.purchasedOn}`,
    mutation: "recordConsumablePurchase",
    inputType: "RecordConsumablePurchaseInput",
    needs: [customer(purchase.customer), product(purchase.productSku), dealer(purchase.dealer)],
    input: (refs) => ({
      customerId: refs.id(customer(purchase.customer)),
      productId: refs.id(product(purchase.productSku)),
      dealerId: refs.id(dealer(purchase.dealer)),
      quantity: purchase.quantity,
      purchasedOn: purchase.purchasedOn,
    }),
  }));
}

/** Per stock line: the count, then the movements after it. */
export function stockOps(world: DemoWorld): Operation[][] {
  return world.partStocks.map((stock) => {
    const label = `stock of ${stock.partSku} at ${stock.serviceCenter}`;
    const needs = [dealer(stock.serviceCenter), product(stock.partSku)];
    const where = (refs: Refs) => ({
      serviceCenterId: refs.id(dealer(stock.serviceCenter)),
      partId: refs.id(product(stock.partSku)),
    });
    return [
      {
        label: `${label} (count)`,
        mutation: "setPartStock",
        inputType: "SetPartStockInput",
        needs,
        input: (refs: Refs) => ({ ...where(refs), onHand: stock.onHand, reorderPoint: stock.reorderPoint, maxLevel: stock.maxLevel }),
      },
      ...stock.adjustments.map((adjustment) => ({
        label: `${label} (${adjustment.reason} ${adjustment.change})`,
        mutation: "adjustPartStock",
        inputType: "AdjustPartStockInput",
        needs,
        input: (refs: Refs) => ({ ...where(refs), ...adjustment }),
      })),
    ];
  });
}
