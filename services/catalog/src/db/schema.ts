import { amountColumn, inboxTables, outboxTable, versionColumns } from "@aftersales/kit";
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/** Every table of this subgraph lives in the `catalog` Postgres schema. */
export const catalog = pgSchema("catalog");

export const productKind = catalog.enum("product_kind", ["EQUIPMENT", "CONSUMABLE", "SPARE_PART", "ACCESSORY"]);
export const lifecycleStage = catalog.enum("lifecycle_stage", ["INTRODUCTION", "GROWTH", "MATURITY", "DECLINE", "DISCONTINUED"]);
export const unitStatus = catalog.enum("unit_status", ["IN_STOCK", "SOLD", "DELIVERED", "INSTALLED", "IN_REPAIR", "RETIRED"]);
export const unitEventKind = catalog.enum("unit_event_kind", [
  "REGISTERED",
  "SOLD",
  "DELIVERED",
  "INSTALLED",
  "COMMISSIONED",
  "OWNER_TRAINED",
  "REPAIR_STARTED",
  "REPAIRED",
  "UPGRADED",
  "TRANSFERRED",
  "RETIRED",
]);
export const forecastMethod = catalog.enum("forecast_method", ["PRODUCT_CYCLE", "CUSTOMER_HISTORY"]);
export const stockChangeReason = catalog.enum("stock_change_reason", ["RECEIVED", "COUNTED", "USED", "RETURNED", "SCRAPPED"]);

export const products = catalog.table(
  "products",
  {
    id: text().primaryKey(),
    sku: text().notNull(),
    name: text().notNull(),
    kind: productKind().notNull(),
    /** A slug such as `espresso-machines`; technicians' skills name these. */
    category: text().notNull(),
    lifecycleStage: lifecycleStage().notNull().default("INTRODUCTION"),
    discontinuedOn: date(),
    /** Until when spare parts are supplied after discontinuation. */
    partsGuaranteedUntil: date(),
    successorId: text().references((): AnyPgColumn => products.id),
    listPrice: amountColumn().notNull(),
    currency: text().notNull(),
    /** Days one unit (pack, cartridge, bag) of a consumable lasts. */
    replenishmentCycleDays: integer(),
    ...versionColumns(),
  },
  (t) => [
    uniqueIndex("products_sku_key").on(t.sku),
    index("products_name_idx").on(t.name, t.id),
    check("products_cycle_positive", sql`${t.replenishmentCycleDays} is null or ${t.replenishmentCycleDays} > 0`),
  ],
);

/** Every stage change of a product, in order. */
export const productLifecycleChanges = catalog.table(
  "product_lifecycle_changes",
  {
    productId: text()
      .notNull()
      .references(() => products.id),
    /** 1, 2, 3 ... per product. */
    sequence: integer().notNull(),
    fromStage: lifecycleStage(),
    toStage: lifecycleStage().notNull(),
    effectiveOn: date().notNull(),
    note: text(),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.sequence] })],
);

/** Consumables and accessories that fit a piece of equipment. */
export const productFittings = catalog.table(
  "product_fittings",
  {
    equipmentId: text()
      .notNull()
      .references(() => products.id),
    fittingId: text()
      .notNull()
      .references(() => products.id),
  },
  (t) => [primaryKey({ columns: [t.equipmentId, t.fittingId] }), index("product_fittings_fitting_idx").on(t.fittingId)],
);

/** Bill of materials: the spare parts a product is built from. */
export const bomLines = catalog.table(
  "bom_lines",
  {
    productId: text()
      .notNull()
      .references(() => products.id),
    partId: text()
      .notNull()
      .references(() => products.id),
    quantity: integer().notNull(),
    /** Whether the part can be replaced on its own (else the assembly it sits in is). */
    serviceableSeparately: boolean().notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.partId] }),
    index("bom_lines_part_idx").on(t.partId),
    check("bom_lines_quantity_positive", sql`${t.quantity} > 0`),
  ],
);

/** Standard repair hours per failure code: what a repair of that kind should take. */
export const repairStandards = catalog.table(
  "repair_standards",
  {
    productId: text()
      .notNull()
      .references(() => products.id),
    failureCode: text().notNull(),
    hours: doublePrecision().notNull(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.failureCode] }), check("repair_standards_hours_positive", sql`${t.hours} > 0`)],
);

/**
 * The installed base: one row per serialized unit. The dates are those of
 * its lifecycle events, kept here too because warranty reads them with the
 * unit (through federation) and they decide coverage.
 */
export const units = catalog.table(
  "units",
  {
    id: text().primaryKey(),
    serialNumber: text().notNull(),
    productId: text()
      .notNull()
      .references(() => products.id),
    status: unitStatus().notNull(),
    /** The dealer that stocks the unit, then the one that sold it. */
    dealerId: text().notNull(),
    customerId: text(),
    purchasePrice: amountColumn(),
    purchaseCurrency: text(),
    soldOn: date(),
    deliveredOn: date(),
    installedOn: date(),
    retiredOn: date(),
    /** The key a dealer's system registered the unit with: a retry finds it instead of registering another. */
    idempotencyKey: text(),
    inputHash: text(),
    ...versionColumns(),
  },
  (t) => [
    uniqueIndex("units_serial_number_key").on(t.serialNumber),
    uniqueIndex("units_idempotency_key").on(t.dealerId, t.idempotencyKey),
    index("units_customer_idx").on(t.customerId, t.serialNumber),
    index("units_dealer_idx").on(t.dealerId, t.serialNumber),
    index("units_product_idx").on(t.productId, t.serialNumber),
  ],
);

export const unitEvents = catalog.table(
  "unit_events",
  {
    unitId: text()
      .notNull()
      .references(() => units.id),
    /** 1, 2, 3 ... per unit, in the order the events happened. */
    sequence: integer().notNull(),
    kind: unitEventKind().notNull(),
    occurredOn: date().notNull(),
    statusAfter: unitStatus().notNull(),
    /** The owner after the event (the buyer of a sale, the new owner of a transfer). */
    customerId: text(),
    note: text(),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The key the event was recorded with (a sale, a delivery...), unique per unit: a retry finds it instead of recording it twice. */
    idempotencyKey: text(),
    inputHash: text(),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.sequence] }), uniqueIndex("unit_events_idempotency_key").on(t.unitId, t.idempotencyKey)],
);

export const consumablePurchases = catalog.table(
  "consumable_purchases",
  {
    id: text().primaryKey(),
    customerId: text().notNull(),
    productId: text()
      .notNull()
      .references(() => products.id),
    dealerId: text().notNull(),
    quantity: integer().notNull(),
    purchasedOn: date().notNull(),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The key a dealer's system recorded the purchase with: a retry finds it instead of recording it twice. */
    idempotencyKey: text(),
    inputHash: text(),
  },
  (t) => [
    uniqueIndex("consumable_purchases_idempotency_key").on(t.dealerId, t.idempotencyKey),
    index("consumable_purchases_customer_idx").on(t.customerId, t.productId, t.purchasedOn),
    index("consumable_purchases_customer_page_idx").on(t.customerId, t.purchasedOn, t.id),
    check("consumable_purchases_quantity_positive", sql`${t.quantity} > 0`),
  ],
);

/**
 * When each customer will next run out of each consumable, as each dealer
 * that sold it to them forecasts it from its own sales to them: a projection
 * of `consumable_purchases`, one row per customer, product and dealer,
 * rewritten in the same transaction as every purchase, so that "who needs a
 * refill soon" is an index range scan. Per dealer because a dealer offers the
 * refill from what it knows, and must neither see nor move another dealer's
 * forecast (a customer may buy the same beans at two dealers).
 */
export const replenishmentForecasts = catalog.table(
  "replenishment_forecasts",
  {
    customerId: text().notNull(),
    productId: text()
      .notNull()
      .references(() => products.id),
    /** The dealer whose forecast this is: it sold the purchases it rests on, and offers the refill. */
    dealerId: text().notNull(),
    lastPurchasedOn: date().notNull(),
    lastQuantity: integer().notNull(),
    purchaseCount: integer().notNull(),
    daysPerUnit: doublePrecision().notNull(),
    method: forecastMethod().notNull(),
    runsOutOn: date().notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.productId, t.dealerId] }),
    index("replenishment_forecasts_dealer_idx").on(t.dealerId, t.runsOutOn, t.customerId, t.productId),
    index("replenishment_forecasts_product_idx").on(t.productId),
  ],
);

/** Spare parts on the shelves of a service center. */
export const partStock = catalog.table(
  "part_stock",
  {
    serviceCenterId: text().notNull(),
    partId: text()
      .notNull()
      .references(() => products.id),
    onHand: integer().notNull().default(0),
    /** Set aside for open repairs. */
    reserved: integer().notNull().default(0),
    /** Reorder when the available quantity falls to this. */
    reorderPoint: integer().notNull().default(0),
    /** More than this on hand is overstock (0: no maximum). */
    maxLevel: integer().notNull().default(0),
    /**
     * Time to reorder: what is not set aside for repairs has fallen to the
     * reorder point, or below nothing (more reserved than on hand). Computed
     * by Postgres so the flag, its filter and its index can never disagree.
     */
    shortage: boolean().notNull().generatedAlwaysAs(sql`on_hand - reserved < 0 or (reorder_point > 0 and on_hand - reserved <= reorder_point)`),
    /** More on the shelf than the maximum: money tied up, gathering dust. */
    overstock: boolean().notNull().generatedAlwaysAs(sql`max_level > 0 and on_hand > max_level`),
    version: integer().notNull().default(1),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.serviceCenterId, t.partId] }),
    index("part_stock_shortage_idx").on(t.serviceCenterId, t.partId).where(sql`shortage`),
    index("part_stock_overstock_idx").on(t.serviceCenterId, t.partId).where(sql`overstock`),
    check("part_stock_levels", sql`${t.onHand} >= 0 and ${t.reserved} >= 0 and ${t.reorderPoint} >= 0 and ${t.maxLevel} >= 0`),
  ],
);

/** Every change of a stock level, with why. */
export const partStockMovements = catalog.table(
  "part_stock_movements",
  {
    id: text().primaryKey(),
    serviceCenterId: text().notNull(),
    partId: text().notNull(),
    change: integer().notNull(),
    reason: stockChangeReason().notNull(),
    note: text(),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The key an adjustment was sent with: a retry finds it instead of moving the stock twice. */
    idempotencyKey: text(),
    inputHash: text(),
  },
  (t) => [
    index("part_stock_movements_stock_idx").on(t.serviceCenterId, t.partId, t.recordedAt),
    uniqueIndex("part_stock_movements_idempotency_key").on(t.serviceCenterId, t.idempotencyKey),
  ],
);

// Copies of the partners subgraph's facts, kept from its events (never read from its tables).

/** Customers as partners last announced them: whose they are, nothing personal. A unit is sold only to one that exists. */
export const knownCustomers = catalog.table("known_customers", {
  id: text().primaryKey(),
  sourceVersion: integer().notNull(),
  homeDealerId: text().notNull(),
});

/** Dealers as partners last announced them: which sell and which repair (stock is a service center's). */
export const knownDealers = catalog.table("known_dealers", {
  id: text().primaryKey(),
  sourceVersion: integer().notNull(),
  kind: text().notNull(),
});

export type ProductRow = typeof products.$inferSelect;
export type LifecycleChangeRow = typeof productLifecycleChanges.$inferSelect;
export type BomLineRow = typeof bomLines.$inferSelect;
export type RepairStandardRow = typeof repairStandards.$inferSelect;
export type UnitRow = typeof units.$inferSelect;
export type UnitEventRow = typeof unitEvents.$inferSelect;
export type ConsumablePurchaseRow = typeof consumablePurchases.$inferSelect;
export type ForecastRow = typeof replenishmentForecasts.$inferSelect;
export type PartStockRow = typeof partStock.$inferSelect;
export type KnownCustomerRow = typeof knownCustomers.$inferSelect;
export type KnownDealerRow = typeof knownDealers.$inferSelect;
/** Customers and dealers are owned by the partners subgraph; here they are references by id. */
export interface EntityRef {
  id: string;
}

/** Domain events of the catalog (units' lifecycle, products), written with the change they describe. */
export const outbox = outboxTable(catalog);
/** The tickets' events the catalog applied (parts used in repairs lower the stock). */
export const { eventInbox, eventCursors, eventDeadLetters } = inboxTables(catalog);
