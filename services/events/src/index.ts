import { minorUnits } from "@aftersales/kit";
import { z } from "zod";

/**
 * The catalog of domain events: every type and version a subgraph writes to
 * its outbox, who writes it and when, whose it is, and its payload. It is the
 * contract for the subgraphs that consume events and for partners who receive
 * them as webhooks; `schema/events.md` is generated from it
 * (`npm run events -w @aftersales/schema`), and every end-to-end test checks
 * each outbox row it leaves behind against it, so it cannot drift from what
 * the producers write.
 *
 * Nothing here imports a subgraph: it is plain data and zod schemas. The
 * subgraphs import it instead: a producer types what it writes as
 * `PayloadIn<...>` of a payload below, and a consumer reads with
 * `asConsumer(payloads....)` (a `.pick` of it where it needs only part), so a
 * change of a payload is one edit here and the compiler names every producer
 * and consumer it touches.
 */

/** How payloads change, as `schema/events.md` states it. */
export const VERSION_RULE = [
  "A payload's schema has a version, in the envelope's `version` (the payload's own `version`, where it has one, is the aggregate's).",
  "Adding an optional field keeps the version: consumers ignore fields they do not know, and a field added later is absent from events written before it (such fields are marked optional below, and say so).",
  "Removing, renaming or retyping a field (a new enum value, a field that may now be null, a number that becomes a string) bumps the version, and the producer then writes both versions of each event for a while, so consumers move to the new one at their own pace; the old version is listed here until the producer stops writing it.",
];

export const PRODUCERS = ["partners", "catalog", "warranty", "tickets", "feedback", "outreach"] as const;
export type Producer = (typeof PRODUCERS)[number];

export interface EventDefinition {
  producer: Producer;
  aggregate: string;
  type: string;
  version: number;
  /** One line: the change that writes it. */
  writtenWhen: string;
  /** Whose event it is (the envelope's `dealerId`), or `none: shared`. */
  dealer: string;
  payload: z.ZodType;
  /** A payload as the producer writes one, for the document. */
  example: unknown;
  /**
   * Reads a payload as this definition describes it: what is wrong with it,
   * or the aggregate id and dealer id the envelope must carry with it.
   */
  inspect(payload: unknown): { issues: string[] } | { aggregateId: string; dealerId: string | null };
}

/** The kit's `newId`: a type prefix and a ULID (Crockford base 32). */
const ownId = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`));
const date = z.iso.date();
const instant = z.iso.datetime();
/**
 * Amounts are written with exactly their currency's decimals (ISO 4217, as
 * `Intl` knows them), as the API writes them. Events written before that
 * rule carry 2 decimals in every currency, and stay valid.
 */
const amount = z.string().regex(/^\d+(\.\d{1,3})?$/);
const AMOUNT_FORM =
  "an exact decimal with as many places as the currency has: `1299.00` EUR, `129800` JPY, `12.500` KWD (a string, never a float; events written before amounts followed their currency have 2 places in every currency)";
const writtenIn = (value: string, code: string) => {
  const places = value.split(".")[1]?.length ?? 0;
  return places === minorUnits(code) || places === 2;
};
const IN_CURRENCY = "must have as many decimals as its currency has";
const currency = z.string().regex(/^[A-Z]{3}$/);
const money = (what: string) =>
  z
    .strictObject({
      amount: amount.describe(`${what}: ${AMOUNT_FORM}.`),
      currency: currency.describe("ISO 4217 code, e.g. `EUR`."),
    })
    .refine((m) => writtenIn(m.amount, m.currency), { message: IN_CURRENCY, path: ["amount"] });
const aggregateVersion = (what: string) =>
  z.number().int().positive().describe(`The ${what}'s version after the change (1 when created, +1 per change): keep the newest, ignore older.`);
/** A field added to a version after it was first written (see VERSION_RULE). */
const addedLater = "Added to this version later: absent from events written before, so optional.";

function define<S extends z.ZodType>(definition: {
  producer: Producer;
  aggregate: string;
  type: string;
  version: number;
  writtenWhen: string;
  dealer: string;
  payload: S;
  example: z.input<S>;
  aggregateIdOf: (payload: z.output<S>) => string;
  dealerOf: (payload: z.output<S>) => string | null;
}): EventDefinition {
  const { aggregateIdOf, dealerOf, ...rest } = definition;
  return {
    ...rest,
    inspect(payload) {
      const parsed = definition.payload.safeParse(payload);
      if (!parsed.success) {
        return { issues: parsed.error.issues.map((issue) => `${["payload", ...issue.path].join(".")}: ${issue.message}`) };
      }
      return { aggregateId: aggregateIdOf(parsed.data), dealerId: dealerOf(parsed.data) };
    },
  };
}

// ---------------------------------------------------------------------------
// partners: dealers' terms, customers' and technicians' non-personal facts
// ---------------------------------------------------------------------------

const relationshipLevel = z.enum(["BASIC", "REACTIVE", "RESPONSIBLE", "ACTIVE"]);

const dealerPayload = z.strictObject({
  id: ownId("dlr").describe("The dealer (or service center)."),
  version: aggregateVersion("dealer"),
  name: z.string().describe("Its name."),
  kind: z.enum(["DEALER", "SERVICE_CENTER", "BOTH"]).describe("Whether it sells, repairs, or both."),
  region: z.string().describe("Its sales region, e.g. `DACH`."),
  location: z
    .strictObject({
      latitude: z.number().min(-90).max(90).describe("Degrees north."),
      longitude: z.number().min(-180).max(180).describe("Degrees east."),
      country: z.string().describe("ISO 3166-1 alpha-2 code, e.g. `DE`."),
    })
    .describe("Where it is (its premises are not personal data)."),
  serviceRadiusKm: z.number().int().nonnegative().describe("How far its technicians travel; 0 for a dealer that does not repair on site."),
  laborRate: money("The hourly rate").describe("What an hour of its labor costs."),
  warrantyWorkshop: z
    .strictObject({
      authorizedFrom: date.describe("First day it may do warranty work."),
      authorizedUntil: date.nullable().describe("Last day it may; null: without end."),
    })
    .nullable()
    .describe("Its authorization as a warranty workshop; null: not authorized."),
  timeZone: z.string().describe("IANA time zone of its business hours, e.g. `Europe/Berlin` (the same as `calendar.timeZone`)."),
  calendar: z
    .strictObject({
      timeZone: z.string().describe("IANA time zone the windows are in."),
      windows: z
        .array(
          z.strictObject({
            weekday: z.number().int().min(1).max(7).describe("ISO weekday: 1 Monday ... 7 Sunday."),
            opensMinute: z.number().int().min(0).max(1439).describe("Opens, in minutes after local midnight."),
            closesMinute: z.number().int().min(1).max(1440).describe("Closes, in minutes after local midnight (1440: midnight)."),
          }),
        )
        .describe("Weekly opening windows, by weekday and opening; none overlap."),
      holidays: z
        .array(z.strictObject({ date: date.describe("The closed day."), name: z.string().describe("Why, e.g. `Christmas Day`.") }))
        .describe("Days it is closed, by date."),
    })
    .describe("Its business hours, whole: SLA clocks run only in them."),
  outreach: z
    .strictObject({
      defaultRelationshipLevel: relationshipLevel.describe("What a customer registered without a level starts at."),
      contactIntervalDays: z.number().int().min(1).max(365).describe("At most one outreach contact per customer in this many days."),
    })
    .optional()
    .describe(`How the dealer follows up with its customers after a sale. ${addedLater}`),
});

const customerPayload = z.strictObject({
  id: ownId("cus").describe("The customer."),
  version: aggregateVersion("customer"),
  kind: z.enum(["CONSUMER", "BUSINESS"]).describe("A person or a company."),
  homeDealerId: z.string().describe("The dealer the customer belongs to (`dlr_…`)."),
  relationshipLevel: relationshipLevel.describe("How closely the dealer looks after the customer."),
  area: z
    .strictObject({
      latitude: z.number().min(-90).max(90).describe("Degrees north, rounded to 2 decimals."),
      longitude: z.number().min(-180).max(180).describe("Degrees east, rounded to 2 decimals."),
    })
    .nullable()
    .optional()
    .describe(`Where the customer is, coarsely (about 1 km), to dispatch technicians nearby; null when the location is unknown. ${addedLater}`),
  contactConsent: z
    .strictObject({
      phone: z.boolean().describe("Whether the customer may be called."),
      email: z.boolean().describe("Whether the customer may be e-mailed."),
    })
    .optional()
    .describe(`On which channels the customer may be contacted for outreach; false once they opted out. ${addedLater}`),
});

const technicianPayload = z.strictObject({
  id: ownId("tec").describe("The technician (no name or contact: nothing personal)."),
  version: aggregateVersion("technician"),
  serviceCenterId: z.string().describe("The service center the technician works for (`dlr_…`)."),
  skills: z.array(z.string()).describe("Product categories the technician is trained on, e.g. `espresso-machines`."),
  active: z.boolean().describe("Whether work may be dispatched to the technician."),
});

const dealerExample: z.input<typeof dealerPayload> = {
  id: "dlr_01JD3Q8N5W7XK2M9R4T6V8Y0ZB",
  version: 3,
  name: "Kaffeewerk Berlin",
  kind: "BOTH",
  region: "DACH",
  location: { latitude: 52.5208, longitude: 13.4094, country: "DE" },
  serviceRadiusKm: 80,
  laborRate: { amount: "78.00", currency: "EUR" },
  warrantyWorkshop: { authorizedFrom: "2024-01-01", authorizedUntil: null },
  timeZone: "Europe/Berlin",
  calendar: {
    timeZone: "Europe/Berlin",
    windows: [
      { weekday: 1, opensMinute: 480, closesMinute: 1080 },
      { weekday: 2, opensMinute: 480, closesMinute: 1080 },
    ],
    holidays: [{ date: "2026-12-25", name: "Christmas Day" }],
  },
  outreach: { defaultRelationshipLevel: "RESPONSIBLE", contactIntervalDays: 30 },
};
const customerExample: z.input<typeof customerPayload> = {
  id: "cus_01JD3QA2C4E6G8J0K2M4P6R8S0",
  version: 2,
  kind: "BUSINESS",
  homeDealerId: dealerExample.id,
  relationshipLevel: "ACTIVE",
  area: { latitude: 52.51, longitude: 13.39 },
  contactConsent: { phone: true, email: false },
};
const technicianExample: z.input<typeof technicianPayload> = {
  id: "tec_01JD3QB7D9F1H3K5M7P9R1T3V5",
  version: 1,
  serviceCenterId: dealerExample.id,
  skills: ["espresso-machines", "grinders"],
  active: true,
};

const partnersEvents: EventDefinition[] = [
  define({
    producer: "partners",
    aggregate: "dealer",
    type: "dealer.created",
    version: 1,
    writtenWhen: "An ADMIN creates a dealer or service center (`createDealer`).",
    dealer: "The dealer itself (`id`).",
    payload: dealerPayload,
    example: { ...dealerExample, version: 1 },
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.id,
  }),
  define({
    producer: "partners",
    aggregate: "dealer",
    type: "dealer.updated",
    version: 1,
    writtenWhen: "A dealer's details, terms or calendar change (`updateDealer`); carries the whole dealer as it is after the change.",
    dealer: "The dealer itself (`id`).",
    payload: dealerPayload,
    example: dealerExample,
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.id,
  }),
  define({
    producer: "partners",
    aggregate: "customer",
    type: "customer.created",
    version: 1,
    writtenWhen: "A customer is created (`createCustomer`).",
    dealer: "The customer's home dealer (`homeDealerId`).",
    payload: customerPayload,
    example: { ...customerExample, version: 1 },
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.homeDealerId,
  }),
  define({
    producer: "partners",
    aggregate: "customer",
    type: "customer.updated",
    version: 1,
    writtenWhen: "A customer changes (`updateCustomer`), personal details included, though the event carries none of them.",
    dealer: "The customer's home dealer (`homeDealerId`), after the change.",
    payload: customerPayload,
    example: customerExample,
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.homeDealerId,
  }),
  define({
    producer: "partners",
    aggregate: "technician",
    type: "technician.created",
    version: 1,
    writtenWhen:
      "A technician is created (`createTechnician`); also written once by migration `0003_announce_technicians` for every technician that existed before these events did.",
    dealer: "The technician's service center (`serviceCenterId`).",
    payload: technicianPayload,
    example: technicianExample,
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.serviceCenterId,
  }),
  define({
    producer: "partners",
    aggregate: "technician",
    type: "technician.updated",
    version: 1,
    writtenWhen: "A technician changes (`updateTechnician`), e.g. new skills or no longer active.",
    dealer: "The technician's service center (`serviceCenterId`), after the change.",
    payload: technicianPayload,
    example: { ...technicianExample, version: 2, active: false },
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.serviceCenterId,
  }),
];

// ---------------------------------------------------------------------------
// catalog: units' lifecycle, products
// ---------------------------------------------------------------------------

const UNIT_STATUSES = ["IN_STOCK", "SOLD", "DELIVERED", "INSTALLED", "IN_REPAIR", "RETIRED"] as const;
type UnitStatus = (typeof UNIT_STATUSES)[number];
const UNIT_EVENT_KINDS = [
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
] as const;
type UnitEventKind = (typeof UNIT_EVENT_KINDS)[number];

/**
 * One `unit.<kind>` type per kind of unit event, with the statuses a unit
 * can have after it (the catalog's lifecycle rules).
 */
const UNIT_EVENTS: { kind: UnitEventKind; statusAfter: readonly [UnitStatus, ...UnitStatus[]]; writtenWhen: string }[] = [
  { kind: "REGISTERED", statusAfter: ["IN_STOCK"], writtenWhen: "A unit enters a dealer's stock (`registerUnit`)." },
  {
    kind: "SOLD",
    statusAfter: ["SOLD"],
    writtenWhen: "A unit in stock is sold to a customer (`sellUnit`), possibly by another dealer than the one stocking it.",
  },
  { kind: "DELIVERED", statusAfter: ["DELIVERED"], writtenWhen: "Delivery of a sold unit is recorded (`recordUnitEvent`)." },
  { kind: "INSTALLED", statusAfter: ["INSTALLED"], writtenWhen: "Installation is recorded (`recordUnitEvent`)." },
  { kind: "COMMISSIONED", statusAfter: ["INSTALLED"], writtenWhen: "An installed unit is put into operation (`recordUnitEvent`)." },
  { kind: "OWNER_TRAINED", statusAfter: ["DELIVERED", "INSTALLED"], writtenWhen: "The owner was shown how to use and care for the unit (`recordUnitEvent`)." },
  { kind: "REPAIR_STARTED", statusAfter: ["IN_REPAIR"], writtenWhen: "A repair of an owned unit starts (`recordUnitEvent`)." },
  {
    kind: "REPAIRED",
    statusAfter: ["SOLD", "DELIVERED", "INSTALLED"],
    writtenWhen: "A repair ends; the unit is back in the status it had before (`recordUnitEvent`).",
  },
  { kind: "UPGRADED", statusAfter: ["DELIVERED", "INSTALLED"], writtenWhen: "A unit is improved with new parts or software (`recordUnitEvent`)." },
  {
    kind: "TRANSFERRED",
    statusAfter: ["SOLD", "DELIVERED", "INSTALLED"],
    writtenWhen: "An owned unit changes hands to another customer (`transferUnit`); the dealer stays.",
  },
  { kind: "RETIRED", statusAfter: ["RETIRED"], writtenWhen: "A unit is taken out of service, from stock or from its owner (`recordUnitEvent`)." },
];

const unitPayload = <Kind extends z.ZodType<UnitEventKind, UnitEventKind>>(kind: Kind, statusAfter: readonly [UnitStatus, ...UnitStatus[]]) =>
  z.strictObject({
    id: ownId("unt").describe("The unit."),
    version: aggregateVersion("unit"),
    serialNumber: z.string().describe("Its serial number, unique across products."),
    productId: z.string().describe("What it is (`prd_…`)."),
    status: z.enum(statusAfter).describe("Its status after the event."),
    dealerId: z.string().describe("The dealer stocking it; from its sale on, the dealer that sold it (`dlr_…`)."),
    customerId: z.string().nullable().describe("Its owner (`cus_…`); null until it is sold."),
    purchasePrice: money("The price paid").nullable().describe("What the owner paid; null until it is sold."),
    soldOn: date.nullable().describe("When it was sold; null until then."),
    deliveredOn: date.nullable().describe("When it was delivered; null until then."),
    installedOn: date.nullable().describe("When it was installed; null until then."),
    retiredOn: date.nullable().describe("When it was retired; null until then."),
    event: z
      .strictObject({
        kind: kind.describe("The kind of event, as in the type."),
        occurredOn: date.describe("The day it happened, as recorded (not in the future, not before the unit's previous event)."),
      })
      .describe("The event itself."),
  });

const UNIT_ID = "unt_01JD3QC1E3G5J7K9N1Q3S5T7W9";
const PRODUCT_ID = "prd_01JD3Q9K3M5P7R9T1V3X5Z7B9D";

/** One unit's story, for the examples: each kind of event in turn, with the date it happened. */
const UNIT_STORY: Record<string, string> = {
  REGISTERED: "2026-02-20",
  SOLD: "2026-03-02",
  DELIVERED: "2026-03-05",
  INSTALLED: "2026-03-06",
  COMMISSIONED: "2026-03-06",
  OWNER_TRAINED: "2026-03-09",
  REPAIR_STARTED: "2026-09-15",
  REPAIRED: "2026-09-16",
  UPGRADED: "2026-10-01",
  TRANSFERRED: "2026-10-20",
  RETIRED: "2026-11-20",
};

/** The example unit right after its event of `kind`. */
function unitExampleAfter(kind: UnitEventKind, status: UnitStatus) {
  const kinds = Object.keys(UNIT_STORY);
  const step = kinds.indexOf(kind);
  const on = (after: string) => (step >= kinds.indexOf(after) ? (UNIT_STORY[after] ?? null) : null);
  const sold = on("SOLD") !== null;
  return {
    id: UNIT_ID,
    version: step + 1,
    serialNumber: "BX-2291-00417",
    productId: PRODUCT_ID,
    status,
    dealerId: dealerExample.id,
    customerId: on("TRANSFERRED") ? "cus_01JD3QK4N6Q8S0V2X4Z6B8D0F2" : sold ? customerExample.id : null,
    purchasePrice: sold ? { amount: "1299.00", currency: "EUR" } : null,
    soldOn: on("SOLD"),
    deliveredOn: on("DELIVERED"),
    installedOn: on("INSTALLED"),
    retiredOn: on("RETIRED"),
    event: { kind, occurredOn: UNIT_STORY[kind] ?? "2026-02-20" },
  };
}

const productPayload = z.strictObject({
  id: ownId("prd").describe("The product."),
  version: aggregateVersion("product"),
  sku: z.string().describe("Its stock-keeping unit, unique."),
  name: z.string().describe("Its name."),
  kind: z.enum(["EQUIPMENT", "CONSUMABLE", "SPARE_PART", "ACCESSORY"]).describe("What kind of product it is."),
  category: z.string().describe("A slug such as `espresso-machines`; technicians' skills name these."),
  lifecycleStage: z.enum(["INTRODUCTION", "GROWTH", "MATURITY", "DECLINE", "DISCONTINUED"]).describe("Its lifecycle stage now."),
  listPrice: money("The list price").describe("Its list price."),
  billOfMaterials: z
    .array(
      z.strictObject({
        partId: z.string().describe("A spare part (`prd_…`)."),
        quantity: z.number().int().positive().describe("How many the product holds."),
        serviceableSeparately: z.boolean().describe("Whether the part can be replaced on its own (else the assembly it sits in is)."),
      }),
    )
    .describe("The spare parts it is built from; empty for most non-equipment."),
  repairStandards: z
    .array(
      z.strictObject({
        failureCode: z.string().describe("A failure code, e.g. `PUMP`."),
        hours: z.number().positive().describe("Standard labor hours for a repair of it."),
      }),
    )
    .describe("What a repair of each kind should take; warranty labor is judged against it."),
  discontinuedOn: date.nullable().optional().describe(`When it was discontinued; null while it is made. ${addedLater}`),
  partsGuaranteedUntil: date.nullable().optional().describe(`Until when the maker supplies its spare parts; null when not set. ${addedLater}`),
  successorId: z.string().nullable().optional().describe(`The product that replaces it (\`prd_…\`); null when none does. ${addedLater}`),
});

const productExample: z.input<typeof productPayload> = {
  id: PRODUCT_ID,
  version: 2,
  sku: "BX-2291",
  name: "Barista Express 2291",
  kind: "EQUIPMENT",
  category: "espresso-machines",
  lifecycleStage: "MATURITY",
  listPrice: { amount: "1399.00", currency: "EUR" },
  billOfMaterials: [{ partId: "prd_01JD3Q9H1K3M5P7R9T1V3X5Z7B", quantity: 1, serviceableSeparately: true }],
  repairStandards: [{ failureCode: "PUMP", hours: 1.5 }],
  discontinuedOn: null,
  partsGuaranteedUntil: null,
  successorId: null,
};

const purchasePayload = z.strictObject({
  id: ownId("cpu").describe("The purchase."),
  dealerId: z.string().describe("The dealer that sold it (`dlr_…`)."),
  customerId: z.string().describe("The customer who bought it (`cus_…`)."),
  productId: z.string().describe("The consumable (`prd_…`)."),
  quantity: z.number().int().positive().describe("How many packs, cartridges or bags."),
  purchasedOn: date.describe("When it was bought."),
  forecast: z
    .strictObject({
      runsOutOn: date.describe("When the customer will run out, as the selling dealer's forecast says after this purchase."),
      method: z.enum(["PRODUCT_CYCLE", "CUSTOMER_HISTORY"]).describe("From the product's cycle, or (from the third purchase on) the customer's own rhythm."),
    })
    .describe("The selling dealer's refill forecast for this customer and consumable after the purchase."),
});

const catalogEvents: EventDefinition[] = [
  ...UNIT_EVENTS.map(({ kind, statusAfter, writtenWhen }) =>
    define({
      producer: "catalog",
      aggregate: "unit",
      type: `unit.${kind.toLowerCase()}`,
      version: 1,
      writtenWhen,
      dealer: "The unit's dealer (`dealerId`): the one stocking it, from its sale on the one that sold it.",
      payload: unitPayload(z.literal(kind), statusAfter),
      example: unitExampleAfter(kind, statusAfter.at(-1) ?? statusAfter[0]),
      aggregateIdOf: (p) => p.id,
      dealerOf: (p) => p.dealerId,
    }),
  ),
  ...(
    [
      ["product.created", "An ADMIN creates a product (`createProduct`)."],
      ["product.updated", "A product's details, parts or repair standards change (`updateProduct`)."],
      ["product.lifecycle_changed", "A product moves to another lifecycle stage (`changeProductLifecycle`), e.g. discontinued."],
    ] as const
  ).map(([type, writtenWhen]) =>
    define({
      producer: "catalog",
      aggregate: "product",
      type,
      version: 1,
      writtenWhen,
      dealer: "none: shared (every dealer sees the product catalog).",
      payload: productPayload,
      example: type === "product.created" ? { ...productExample, version: 1, lifecycleStage: "INTRODUCTION" } : productExample,
      aggregateIdOf: (p) => p.id,
      dealerOf: () => null,
    }),
  ),
  define({
    producer: "catalog",
    aggregate: "consumable",
    type: "consumable.purchased",
    version: 1,
    writtenWhen: "A consumable purchase is recorded (`recordConsumablePurchase`); a replay of the same idempotency key writes none.",
    dealer: "The dealer that sold it (`dealerId`).",
    payload: purchasePayload,
    example: {
      id: "cpu_01JD3QP7S9V1X3Z5B7D9F1H3K5",
      dealerId: dealerExample.id,
      customerId: customerExample.id,
      productId: "prd_01JD3Q9M5P7R9T1V3X5Z7B9D1F",
      quantity: 2,
      purchasedOn: "2026-11-02",
      forecast: { runsOutOn: "2027-01-01", method: "PRODUCT_CYCLE" },
    },
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.dealerId,
  }),
];

// ---------------------------------------------------------------------------
// warranty: service contracts, maintenance visits, warranty claims
// ---------------------------------------------------------------------------

/** The statuses a contract's events carry: a draft is never announced. */
const CONTRACT_STATUSES = ["ACTIVE", "EXPIRED", "CANCELLED"] as const;
type ContractStatus = (typeof CONTRACT_STATUSES)[number];

const contractPayload = (statuses: readonly [ContractStatus, ...ContractStatus[]]) =>
  z.strictObject({
    id: ownId("sct").describe("The service contract."),
    number: z.string().describe("Its readable number, e.g. `SC-2026-000042`."),
    version: aggregateVersion("contract"),
    planId: z.string().describe("Its plan (`pln_…`)."),
    dealerId: z.string().describe("The dealer that sold it (`dlr_…`)."),
    customerId: z.string().describe("The customer it covers (`cus_…`)."),
    status: z.enum(statuses).describe("Its status after the change."),
    startsOn: date.describe("First day covered."),
    endsOn: date.describe("Last day of its term."),
    cancelledFrom: date.nullable().describe("First day no longer covered after a cancellation; null unless cancelled."),
    price: money("The price").describe("What the contract costs for its term."),
    refund: money("The refund").nullable().describe("What a cancellation refunds; null unless cancelled with a refund."),
    unitIds: z.array(z.string()).optional().describe(`The units it covers (\`unt_…\`), sorted. ${addedLater}`),
    plan: z
      .strictObject({
        responseHours: z.number().int().positive().describe("Business hours within which a ticket must be answered."),
        resolutionHours: z.number().int().positive().describe("Business hours within which a ticket must be resolved."),
      })
      .optional()
      .describe(`Its plan's service levels, which tickets about its units are held to. ${addedLater}`),
  });

const contractExample = {
  id: "sct_01JD3QD5F7H9K1M3P5R7T9V1X3",
  number: "SC-2026-000042",
  version: 2,
  planId: "pln_01JD3QE2G4J6M8N0Q2S4T6W8Y0",
  dealerId: dealerExample.id,
  customerId: customerExample.id,
  startsOn: "2026-04-01",
  endsOn: "2027-03-31",
  cancelledFrom: null,
  price: { amount: "189.00", currency: "EUR" },
  refund: null,
  unitIds: [UNIT_ID],
  plan: { responseHours: 8, resolutionHours: 40 },
};

const CLAIM_STATUSES = ["SUBMITTED", "IN_REVIEW", "SENT_BACK", "APPROVED", "PARTIALLY_APPROVED", "REJECTED", "PAID"] as const;
type ClaimStatus = (typeof CLAIM_STATUSES)[number];

const claimPayload = (statuses: readonly [ClaimStatus, ...ClaimStatus[]]) =>
  z
    .strictObject({
      id: ownId("wcl").describe("The warranty claim."),
      number: z.string().describe("Its readable number, e.g. `WC-2026-000042`."),
      version: aggregateVersion("claim"),
      dealerId: z.string().describe("The workshop that filed it (`dlr_…`)."),
      unitId: z.string().describe("The repaired unit (`unt_…`)."),
      productId: z.string().describe("The unit's product (`prd_…`)."),
      failureCode: z.string().describe("What failed, e.g. `PUMP`."),
      failureOn: date.describe("When it failed."),
      repairOn: date.describe("When it was repaired."),
      status: z.enum(statuses).describe("Its status after the change."),
      claimedTotal: amount.describe(`What the workshop claimed, in \`currency\`: ${AMOUNT_FORM}.`),
      approvedTotal: amount.describe(`What adjudication approved so far, in \`currency\`: ${AMOUNT_FORM}.`),
      currency: currency.describe("ISO 4217 code of both totals."),
      coverageKind: z.enum(["WARRANTY", "CONTRACT", "NONE"]).describe("What covered the unit on the failure date, as adjudication saw it."),
    })
    .refine((p) => writtenIn(p.claimedTotal, p.currency), { message: IN_CURRENCY, path: ["claimedTotal"] })
    .refine((p) => writtenIn(p.approvedTotal, p.currency), { message: IN_CURRENCY, path: ["approvedTotal"] });

const claimExample = {
  id: "wcl_01JD3QF8H0K2M4P6R8T0V2X4Z6",
  number: "WC-2026-000042",
  version: 1,
  dealerId: dealerExample.id,
  unitId: UNIT_ID,
  productId: PRODUCT_ID,
  failureCode: "PUMP",
  failureOn: "2026-09-14",
  repairOn: "2026-09-16",
  claimedTotal: "245.00",
  approvedTotal: "0.00",
  currency: "EUR",
  coverageKind: "WARRANTY" as const,
};

const VISIT_STATUSES = ["PLANNED", "SCHEDULED", "DONE", "MISSED", "CANCELLED"] as const;
type VisitStatus = (typeof VISIT_STATUSES)[number];

const visitPayload = <Status extends VisitStatus>(status: z.ZodType<Status, Status>, completedOn: z.ZodType<string | null, string | null>) =>
  z.strictObject({
    id: ownId("mvs").describe("The maintenance visit."),
    version: aggregateVersion("visit"),
    contractId: z.string().describe("The service contract it belongs to (`sct_…`)."),
    unitId: z.string().describe("The unit to maintain (`unt_…`)."),
    dealerId: z.string().describe("The contract's dealer (`dlr_…`)."),
    sequence: z.number().int().positive().describe("1 for the contract's first visit to the unit, 2 for the next, ..."),
    dueOn: date.describe("When it was due."),
    status: status.describe("Its status after the change."),
    completedOn,
    scheduledFor: instant.nullable().optional().describe(`When it is booked for, ISO-8601 UTC; null until it is. ${addedLater}`),
  });

const visitExample = {
  id: "mvs_01JD3QG3J5K7N9Q1S3T5W7Y9A1",
  version: 3,
  contractId: contractExample.id,
  unitId: UNIT_ID,
  dealerId: dealerExample.id,
  sequence: 1,
  dueOn: "2026-10-01",
};

const warrantyEndingPayload = z.strictObject({
  unitId: ownId("unt").describe("The unit whose warranty ends."),
  unitVersion: z.number().int().positive().describe("The catalog's version of the unit the end was worked out from."),
  serialNumber: z.string().describe("The unit's serial number."),
  productId: z.string().describe("The unit's product (`prd_…`)."),
  dealerId: z.string().describe("The dealer that sold the unit (`dlr_…`)."),
  customerId: z.string().describe("The unit's owner (`cus_…`)."),
  warrantyEndsOn: date.describe("The warranty's last covered day."),
  offers: z
    .array(
      z.strictObject({
        planId: z.string().describe("A contract plan on offer (`pln_…`); every plan fits every unit, priced by the unit's purchase price."),
        planName: z.string().describe("Its name."),
        termMonths: z.number().int().positive().describe("The term of a contract made on it today."),
        price: money("The price").describe("What a contract on it costs for this unit and term."),
      }),
    )
    .describe("The plans on offer, each priced for this unit, cheapest first; empty when the unit's purchase price is not known or no plan is offered."),
});

const warrantyEndingExample = {
  unitId: UNIT_ID,
  unitVersion: 3,
  serialNumber: "BX-2291-00417",
  productId: PRODUCT_ID,
  dealerId: dealerExample.id,
  customerId: customerExample.id,
  warrantyEndsOn: "2028-03-04",
  offers: [{ planId: "pln_01JD3QE2G4J6M8N0Q2S4T6W8Y0", planName: "Care 12", termMonths: 12, price: { amount: "71.45", currency: "EUR" } }],
};

const warrantyEvents: EventDefinition[] = [
  define({
    producer: "warranty",
    aggregate: "contract",
    type: "contract.activated",
    version: 1,
    writtenWhen:
      "A draft service contract is activated (`activateServiceContract`); also written once by migration `0002_announce_contract_terms` for every contract active then.",
    dealer: "The dealer that sold the contract (`dealerId`).",
    payload: contractPayload(["ACTIVE"]),
    example: { ...contractExample, status: "ACTIVE" },
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.dealerId,
  }),
  define({
    producer: "warranty",
    aggregate: "contract",
    type: "contract.ended",
    version: 1,
    writtenWhen:
      "An active contract is cancelled (`cancelServiceContract`) or expires after its term (the daily `planMaintenance` run); also written once by migration `0002_announce_contract_terms` for every contract expired or cancelled then.",
    dealer: "The dealer that sold the contract (`dealerId`).",
    payload: contractPayload(["EXPIRED", "CANCELLED"]),
    example: { ...contractExample, version: 3, status: "CANCELLED", cancelledFrom: "2026-11-01", refund: { amount: "78.75", currency: "EUR" } },
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.dealerId,
  }),
  define({
    producer: "warranty",
    aggregate: "warranty",
    type: "warranty.ending",
    version: 1,
    writtenWhen:
      "A sold unit's warranty comes to end within 60 days and no active contract covers the unit past that end: when the unit's event that sets the end arrives (the catalog's `unit.*`), when a product's first policy reaches units already sold (`setWarrantyPolicy`), or else on the day the daily `planMaintenance` run finds it so (a warranty coming within reach, a contract that covered it ended, units sold before this event existed); written again when the end moves, and for every such unit when a contract plan is created or changed (`createContractPlan`, `updateContractPlan`), with the plans then on offer.",
    dealer: "The dealer that sold the unit (`dealerId`).",
    payload: warrantyEndingPayload,
    example: warrantyEndingExample,
    aggregateIdOf: (p) => p.unitId,
    dealerOf: (p) => p.dealerId,
  }),
  ...(
    [
      [
        "visit.planned",
        "PLANNED",
        "A maintenance visit falls due within 30 days and is created, not yet booked: when a contract is activated (`activateServiceContract`), a visit is done (`completeMaintenanceVisit`) or by the daily `planMaintenance` run; also written once by migration `0008_announce_warranty_facts` for every visit planned then.",
      ],
      ["visit.scheduled", "SCHEDULED", "A maintenance visit is booked for a time (`scheduleMaintenanceVisit`)."],
      [
        "visit.cancelled",
        "CANCELLED",
        "A maintenance visit is cancelled (`cancelMaintenanceVisit`); the open visits of a contract that ends are cancelled with it, and `contract.ended` tells of them.",
      ],
    ] as const
  ).map(([type, status, writtenWhen]) =>
    define({
      producer: "warranty",
      aggregate: "visit",
      type,
      version: 1,
      writtenWhen,
      dealer: "The contract's dealer (`dealerId`).",
      payload: visitPayload(z.literal(status), z.null().describe("Always null: it is not done.")),
      example: {
        ...visitExample,
        version: status === "PLANNED" ? 1 : 2,
        status,
        completedOn: null,
        scheduledFor: status === "SCHEDULED" ? "2026-09-28T08:00:00.000Z" : null,
      },
      aggregateIdOf: (p) => p.id,
      dealerOf: (p) => p.dealerId,
    }),
  ),
  define({
    producer: "warranty",
    aggregate: "visit",
    type: "visit.done",
    version: 1,
    writtenWhen: "A maintenance visit is recorded as done (`completeMaintenanceVisit`).",
    dealer: "The contract's dealer (`dealerId`).",
    payload: visitPayload(z.literal("DONE"), date.describe("When it was done.")),
    example: { ...visitExample, status: "DONE", completedOn: "2026-10-03" },
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.dealerId,
  }),
  define({
    producer: "warranty",
    aggregate: "visit",
    type: "visit.missed",
    version: 1,
    writtenWhen: "The daily `planMaintenance` run finds an open visit past due by more than its grace days.",
    dealer: "The contract's dealer (`dealerId`).",
    payload: visitPayload(z.literal("MISSED"), z.null().describe("Always null: it was not done.")),
    example: { ...visitExample, status: "MISSED", completedOn: null },
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.dealerId,
  }),
  ...(
    [
      ["claim.filed", CLAIM_STATUSES, "A workshop files a claim (`fileWarrantyClaim`); `status` tells whether adjudication decided it at once.", "IN_REVIEW"],
      [
        "claim.adjudicated",
        ["APPROVED", "PARTIALLY_APPROVED", "REJECTED"],
        "A claim is decided: at filing (right after `claim.filed`) or when an agent reviews it (`reviewWarrantyClaim`).",
        "PARTIALLY_APPROVED",
      ],
      ["claim.sent_back", ["SENT_BACK"], "An agent sends a claim back to the workshop with questions (`sendBackWarrantyClaim`).", "SENT_BACK"],
      ["claim.answered", ["IN_REVIEW"], "The workshop answers a claim sent back (`answerWarrantyClaim`).", "IN_REVIEW"],
      ["claim.paid", ["PAID"], "An approved claim is paid (`markWarrantyClaimPaid`).", "PAID"],
    ] as const
  ).map(([type, statuses, writtenWhen, status]) =>
    define({
      producer: "warranty",
      aggregate: "claim",
      type,
      version: 1,
      writtenWhen,
      dealer: "The workshop that filed the claim (`dealerId`).",
      payload: claimPayload(statuses),
      example: { ...claimExample, status, approvedTotal: ["PARTIALLY_APPROVED", "PAID"].includes(status) ? "198.50" : "0.00" },
      aggregateIdOf: (p) => p.id,
      dealerOf: (p) => p.dealerId,
    }),
  ),
];

// ---------------------------------------------------------------------------
// tickets: service tickets, their SLA clocks, parts used, loaners
// ---------------------------------------------------------------------------

const TICKET_STATUSES = ["NEW", "ASSIGNED", "IN_PROGRESS", "WAITING_CUSTOMER", "WAITING_PARTS", "RESOLVED", "CLOSED", "CANCELLED"] as const;
type TicketStatus = (typeof TICKET_STATUSES)[number];
const priority = z.enum(["P1", "P2", "P3", "P4"]);
const slaSource = z.enum(["CONTRACT", "DEALER_POLICY", "STANDARD"]);

const ticketPayload = (statuses: readonly [TicketStatus, ...TicketStatus[]]) =>
  z.strictObject({
    id: ownId("tkt").describe("The ticket."),
    number: z.string().describe("Its readable number, e.g. `T-2026-000042`."),
    version: aggregateVersion("ticket"),
    dealerId: z.string().describe("The dealer whose customer opened it (`dlr_…`)."),
    customerId: z.string().describe("The customer (`cus_…`)."),
    unitId: z.string().nullable().describe("The unit it is about (`unt_…`); null when about none."),
    productId: z.string().nullable().describe("The unit's product (`prd_…`); null without a unit."),
    kind: z.enum(["REPAIR", "INSTALLATION", "MAINTENANCE", "COMPLAINT", "QUESTION", "TRAINING", "RETURN"]).describe("What it is about."),
    priority: priority.describe("P1 most urgent ... P4."),
    status: z.enum(statuses).describe("Its status after the change."),
    serviceCenterId: z.string().nullable().describe("The service center working it (`dlr_…`); null until dispatched or assigned."),
    technicianId: z.string().nullable().optional().describe(`The technician working it (\`tec_…\`); null when none is. ${addedLater}`),
    failureCode: z.string().nullable().describe("What failed, e.g. `PUMP`; null when not known or not a repair."),
    slaSource: slaSource.optional().describe(`Where its SLA targets come from: a service contract, the dealer's policy, or the standard. ${addedLater}`),
    slaBreached: z.boolean().optional().describe(`Whether either SLA clock has a recorded breach. ${addedLater}`),
    openedAt: instant.describe("When it was opened (ISO-8601, UTC)."),
    resolvedAt: instant.nullable().describe("When it was resolved; null unless RESOLVED or CLOSED after a resolution (cleared by a reopen)."),
    closedAt: instant.nullable().optional().describe(`When it was closed; null unless CLOSED. ${addedLater}`),
  });

const ticketExample = {
  id: "tkt_01JD3QH6K8M0P2R4T6V8X0Z2B4",
  number: "T-2026-000042",
  version: 1,
  dealerId: dealerExample.id,
  customerId: customerExample.id,
  unitId: UNIT_ID,
  productId: PRODUCT_ID,
  kind: "REPAIR" as const,
  priority: "P2" as const,
  serviceCenterId: dealerExample.id,
  technicianId: technicianExample.id,
  failureCode: "PUMP",
  slaSource: "CONTRACT" as const,
  slaBreached: false,
  openedAt: "2026-11-23T08:14:05.118Z",
  resolvedAt: null,
  closedAt: null,
};

/** A unit on the service center's shelf, not the one being repaired. */
const LOANER_UNIT_ID = "unt_01JD3QK2M4P6R8T0V2X4Z6B8D0";

const slaBreachPayload = z.strictObject({
  id: ownId("tkt").describe("The ticket."),
  number: z.string().describe("Its readable number."),
  dealerId: z.string().describe("The dealer whose customer opened it (`dlr_…`)."),
  serviceCenterId: z.string().nullable().describe("The service center working it (`dlr_…`); null when none is."),
  priority: priority.describe("Its priority."),
  clock: z.enum(["RESPONSE", "RESOLUTION"]).describe("Which deadline passed."),
  breachedAt: instant.describe("The instant the deadline passed (in the past when found late), ISO-8601 UTC."),
  source: slaSource.describe("Where the breached target came from (the ticket events' `slaSource`)."),
});

const partsUsedPayload = z.strictObject({
  usageId: ownId("tpu").describe("This recording of parts: one per event, whatever the number of lines."),
  ticketId: ownId("tkt").describe("The ticket."),
  ticketNumber: z.string().describe("Its readable number."),
  dealerId: z.string().describe("The dealer whose customer opened it (`dlr_…`)."),
  serviceCenterId: z.string().describe("The service center whose stock the parts came from (`dlr_…`)."),
  usedAt: instant.describe("When they were recorded, ISO-8601 UTC."),
  parts: z
    .array(
      z.strictObject({
        partId: z.string().describe("A spare part (`prd_…`)."),
        quantity: z.number().int().positive().describe("How many were used."),
      }),
    )
    .min(1)
    .describe("The parts, each once, in the order given."),
});

const loanerIssuedPayload = z.strictObject({
  loanerId: ownId("lnr").describe("This loan: the same in the issue and the return."),
  ticketId: ownId("tkt").describe("The ticket it was lent on."),
  ticketNumber: z.string().describe("Its readable number."),
  dealerId: z.string().describe("The dealer whose customer opened it (`dlr_…`)."),
  serviceCenterId: z.string().nullable().describe("The service center working the ticket (`dlr_…`); null when none is."),
  unitId: z.string().describe("The unit lent (`unt_…`), from the dealer's or the service center's stock."),
  issuedAt: instant.describe("When it was lent, ISO-8601 UTC."),
});
const loanerReturnedPayload = loanerIssuedPayload.extend({ returnedAt: instant.describe("When it came back, ISO-8601 UTC.") });

const ticketEvents: EventDefinition[] = [
  ...(
    [
      [
        "ticket.opened",
        ["NEW", "ASSIGNED"],
        "A ticket is opened (`openTicket`); ASSIGNED when dispatch found a service center at once.",
        { status: "ASSIGNED" },
      ],
      [
        "ticket.status_changed",
        TICKET_STATUSES,
        "A ticket moves to a status other than RESOLVED or CLOSED and is not a reopen (`changeTicketStatus`), or a NEW ticket is dispatched (`dispatchTicket`) or assigned (`assignTicket`).",
        { version: 3, status: "WAITING_PARTS" },
      ],
      [
        "ticket.resolved",
        ["RESOLVED"],
        "A ticket is resolved (`changeTicketStatus`).",
        { version: 4, status: "RESOLVED", resolvedAt: "2026-11-24T13:40:00.000Z" },
      ],
      [
        "ticket.reopened",
        ["IN_PROGRESS"],
        "A resolved ticket goes back to IN_PROGRESS within 14 days because the fix did not hold (`changeTicketStatus`).",
        { version: 5, status: "IN_PROGRESS" },
      ],
      [
        "ticket.closed",
        ["CLOSED"],
        "A ticket is closed (`changeTicketStatus`).",
        { version: 6, status: "CLOSED", resolvedAt: "2026-11-24T13:40:00.000Z", closedAt: "2026-11-26T09:00:00.000Z" },
      ],
    ] as const
  ).map(([type, statuses, writtenWhen, changes]) =>
    define({
      producer: "tickets",
      aggregate: "ticket",
      type,
      version: 1,
      writtenWhen,
      dealer: "The dealer whose customer opened the ticket (`dealerId`).",
      payload: ticketPayload(statuses),
      example: { ...ticketExample, ...changes },
      aggregateIdOf: (p) => p.id,
      dealerOf: (p) => p.dealerId,
    }),
  ),
  define({
    producer: "tickets",
    aggregate: "ticket",
    type: "ticket.sla_breached",
    version: 1,
    writtenWhen:
      "A ticket's response or resolution deadline passes while its clock runs: found by the breach run (`recordSlaBreaches`) or by the next change of the ticket; once per clock.",
    dealer: "The dealer whose customer opened the ticket (`dealerId`).",
    payload: slaBreachPayload,
    example: {
      id: ticketExample.id,
      number: ticketExample.number,
      dealerId: ticketExample.dealerId,
      serviceCenterId: ticketExample.serviceCenterId,
      priority: "P2",
      clock: "RESPONSE",
      breachedAt: "2026-11-23T16:14:05.118Z",
      source: "CONTRACT",
    },
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.dealerId,
  }),
  define({
    producer: "tickets",
    aggregate: "ticket",
    type: "ticket.parts_used",
    version: 1,
    writtenWhen: "Spare parts used on a ticket are recorded (`recordTicketParts`); the catalog lowers the service center's stock from it.",
    dealer: "The dealer whose customer opened the ticket (`dealerId`), not the service center whose stock the parts came from.",
    payload: partsUsedPayload,
    example: {
      usageId: "tpu_01JD3QJ9M1P3R5T7V9X1Z3B5D7",
      ticketId: ticketExample.id,
      ticketNumber: ticketExample.number,
      dealerId: ticketExample.dealerId,
      serviceCenterId: dealerExample.id,
      usedAt: "2026-11-24T11:02:41.530Z",
      parts: [{ partId: "prd_01JD3Q9H1K3M5P7R9T1V3X5Z7B", quantity: 1 }],
    },
    aggregateIdOf: (p) => p.ticketId,
    dealerOf: (p) => p.dealerId,
  }),
  ...(
    [
      ["ticket.loaner_issued", "A unit from the shelf is lent to the customer while their ticket is worked (`issueLoaner`).", {}],
      ["ticket.loaner_returned", "A loaner comes back (`returnLoaner`).", { returnedAt: "2026-11-26T08:45:12.004Z" }],
    ] as const
  ).map(([type, writtenWhen, returned]) =>
    define({
      producer: "tickets",
      aggregate: "ticket",
      type,
      version: 1,
      writtenWhen,
      dealer: "The dealer whose customer opened the ticket (`dealerId`).",
      payload: type === "ticket.loaner_returned" ? loanerReturnedPayload : loanerIssuedPayload,
      example: {
        loanerId: "lnr_01JD3QM4P6R8T0V2X4Z6B8D0F2",
        ticketId: ticketExample.id,
        ticketNumber: ticketExample.number,
        dealerId: ticketExample.dealerId,
        serviceCenterId: ticketExample.serviceCenterId,
        unitId: LOANER_UNIT_ID,
        issuedAt: "2026-11-23T10:05:33.250Z",
        ...returned,
      },
      aggregateIdOf: (p) => p.ticketId,
      dealerOf: (p) => p.dealerId,
    }),
  ),
];

// ---------------------------------------------------------------------------
// feedback: what customers say
// ---------------------------------------------------------------------------

const THEMES = [
  "PRODUCT_QUALITY",
  "NOISE",
  "LEAK",
  "TASTE",
  "EASE_OF_USE",
  "DELIVERY",
  "INSTALLATION",
  "REPAIR_SPEED",
  "REPAIR_QUALITY",
  "STAFF",
  "COMMUNICATION",
  "PRICE",
  "SPARE_PARTS",
] as const;
const reading = {
  language: z.enum(["en", "de", "fr"]).describe("The lexicon the comment was read with (ISO 639-1), given or detected."),
  themes: z.array(z.enum(THEMES)).describe("What the comment touches, from the keyword lexicon (`services/feedback/LEXICON.md`); empty without a comment."),
  sentiment: z.enum(["POSITIVE", "NEUTRAL", "NEGATIVE", "MIXED"]).describe("How it sounds: positive or negative words only, both, or neither."),
};
const surveyAnsweredPayload = z.strictObject({
  id: ownId("svy").describe("The survey."),
  kind: z.enum(["CSAT", "POST_SALE", "NPS"]).describe("CSAT about a resolved ticket (1–5), POST_SALE after a delivery or installation (1–5), NPS (0–10)."),
  dealerId: z.string().describe("The dealer it belongs to (`dlr_…`): the ticket's, the unit's, or the customer's home dealer."),
  customerId: z.string().describe("The customer who answered (`cus_…`)."),
  ticketId: z.string().nullable().describe("The ticket a CSAT survey asked about (`tkt_…`); null for the other kinds."),
  unitId: z.string().nullable().describe("The unit it concerned (`unt_…`), if any."),
  productId: z.string().nullable().describe("The unit's product (`prd_…`), if any."),
  score: z.number().int().min(0).max(10).describe("The score, within the kind's scale."),
  language: reading.language
    .nullable()
    .describe("The comment's language; null without a comment. The comment itself is not in the event: read it through the graph."),
  themes: reading.themes,
  sentiment: reading.sentiment.nullable().describe("How the comment sounds; null without a comment."),
  answeredAt: instant.describe("When it was answered, ISO-8601 UTC."),
});
const feedbackReceivedPayload = z.strictObject({
  id: ownId("fbk").describe("The feedback."),
  kind: z.enum(["COMPLAINT", "SUGGESTION", "PRAISE"]).describe("What it is."),
  dealerId: z.string().describe("The dealer it concerns (`dlr_…`)."),
  customerId: z.string().nullable().describe("The customer who gave it (`cus_…`); null when anonymous."),
  productId: z.string().nullable().describe("The product it is about (`prd_…`), also set beside a unit or ticket."),
  unitId: z.string().nullable().describe("The unit it is about (`unt_…`), also set beside a ticket about one."),
  ticketId: z.string().nullable().describe("The ticket it is about (`tkt_…`)."),
  aboutDealerId: z.string().nullable().describe("The dealer it is about (`dlr_…`), when that is its subject."),
  ...reading,
  receivedAt: instant.describe("When it was recorded, ISO-8601 UTC."),
});
const feedbackEvents: EventDefinition[] = [
  define({
    producer: "feedback",
    aggregate: "survey",
    type: "survey.answered",
    version: 1,
    writtenWhen: "A customer answers a survey through its link, or a dealer records an answer given by phone (`answerSurvey`).",
    dealer: "The survey's dealer (`dealerId`).",
    payload: surveyAnsweredPayload,
    example: {
      id: "svy_01JD3QM2P4R6T8V0X2Z4B6D8F0",
      kind: "CSAT",
      dealerId: dealerExample.id,
      customerId: customerExample.id,
      ticketId: ticketExample.id,
      unitId: UNIT_ID,
      productId: PRODUCT_ID,
      score: 4,
      language: "en",
      themes: ["REPAIR_SPEED", "STAFF"],
      sentiment: "POSITIVE",
      answeredAt: "2026-11-26T18:03:12.450Z",
    },
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.dealerId,
  }),
  define({
    producer: "feedback",
    aggregate: "feedback",
    type: "feedback.received",
    version: 1,
    writtenWhen: "A complaint, suggestion or praise given outside a survey is recorded (`recordFeedback`).",
    dealer: "The dealer it concerns (`dealerId`): the ticket's or unit's, the dealer it is about, or the customer's home dealer.",
    payload: feedbackReceivedPayload,
    example: {
      id: "fbk_01JD3QN5R7T9V1X3Z5B7D9F1H3",
      kind: "COMPLAINT",
      dealerId: dealerExample.id,
      customerId: customerExample.id,
      productId: PRODUCT_ID,
      unitId: UNIT_ID,
      ticketId: null,
      aboutDealerId: null,
      language: "de",
      themes: ["NOISE", "LEAK"],
      sentiment: "NEGATIVE",
      receivedAt: "2026-11-27T10:15:00.000Z",
    },
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.dealerId,
  }),
];

/**
 * Each payload by what it carries, as any of its events may carry it (a
 * unit's event of any kind, a ticket in any status): what a producer builds
 * (`PayloadIn`) and a consumer reads (`asConsumer`). Each event's own
 * definition above narrows it (the statuses after that change).
 */
export const payloads = {
  dealer: dealerPayload,
  customer: customerPayload,
  technician: technicianPayload,
  product: productPayload,
  consumablePurchase: purchasePayload,
  unit: unitPayload(z.enum(UNIT_EVENT_KINDS), UNIT_STATUSES),
  contract: contractPayload(CONTRACT_STATUSES),
  visit: visitPayload(z.enum(VISIT_STATUSES), date.nullable()),
  warrantyEnding: warrantyEndingPayload,
  claim: claimPayload(CLAIM_STATUSES),
  ticket: ticketPayload(TICKET_STATUSES),
  slaBreach: slaBreachPayload,
  partsUsed: partsUsedPayload,
  loanerIssued: loanerIssuedPayload,
  loanerReturned: loanerReturnedPayload,
  surveyAnswered: surveyAnsweredPayload,
  feedbackReceived: feedbackReceivedPayload,
};
export type Payloads = typeof payloads;
/** A payload as its producer writes it. */
export type PayloadIn<Name extends keyof Payloads> = z.input<Payloads[Name]>;
/** A payload as a consumer reads it. */
export type PayloadOut<Name extends keyof Payloads> = z.output<Payloads[Name]>;

/**
 * A payload's schema as a consumer reads with it: fields it does not know are
 * dropped, at every depth, instead of refused, so a producer may add a field
 * (VERSION_RULE) before its consumers are deployed with it. Everything else
 * (types, formats, enums) is checked as the catalog says.
 */
export function asConsumer<Schema extends z.ZodType>(schema: Schema): Schema {
  return readLeniently(schema) as unknown as Schema;
}

// Zod types a schema's definition by its exact shape; a walk over any schema
// can only know it as some object, optional or array, hence the casts.
function readLeniently(schema: z.core.$ZodType): z.core.$ZodType {
  if (schema instanceof z.ZodObject) {
    const shape = Object.fromEntries(Object.entries(schema.shape).map(([key, field]) => [key, readLeniently(field)]));
    return schema.clone({ ...schema._zod.def, shape, catchall: undefined } as typeof schema._zod.def);
  }
  if (schema instanceof z.ZodOptional) {
    return schema.clone({ ...schema._zod.def, innerType: readLeniently(schema._zod.def.innerType) } as typeof schema._zod.def);
  }
  if (schema instanceof z.ZodNullable) {
    return schema.clone({ ...schema._zod.def, innerType: readLeniently(schema._zod.def.innerType) } as typeof schema._zod.def);
  }
  if (schema instanceof z.ZodArray) return schema.clone({ ...schema._zod.def, element: readLeniently(schema._zod.def.element) } as typeof schema._zod.def);
  return schema;
}
const complaintCase = {
  id: ownId("cpl").describe("The complaint case."),
  version: aggregateVersion("case"),
  dealerId: z.string().describe("The dealer whose customer complained (`dlr_…`)."),
  customerId: z.string().nullable().describe("The customer (`cus_…`); null for an anonymous complaint."),
  source: z.enum(["FEEDBACK", "SURVEY"]).describe("A complaint recorded outside a survey, or a survey answer with a low score and a comment."),
  feedbackId: z.string().nullable().describe("The complaint (`fbk_…`) when FEEDBACK."),
  surveyId: z.string().nullable().describe("The survey answered (`svy_…`) when SURVEY."),
  productId: z.string().nullable().describe("The product it is about (`prd_…`), if any."),
  unitId: z.string().nullable().describe("The unit it is about (`unt_…`), if any."),
  ticketId: z.string().nullable().describe("The ticket it is about (`tkt_…`), if any."),
  status: z.enum(["OPEN", "RESPONDED", "RESOLVED"]).describe("Where the case stands after the change."),
  openedAt: instant.describe("When it opened, ISO-8601 UTC."),
  responseDueAt: instant.nullable().describe("When the first response is due, in the dealer's business hours; null when the dealer's calendar has no hours."),
};
const complaintExample = {
  id: "cpl_01JD3QP7S9V1X3Z5B7D9F1H3K5",
  version: 1,
  dealerId: dealerExample.id,
  customerId: customerExample.id,
  source: "FEEDBACK" as const,
  feedbackId: "fbk_01JD3QN5R7T9V1X3Z5B7D9F1H3",
  surveyId: null,
  productId: PRODUCT_ID,
  unitId: UNIT_ID,
  ticketId: null,
  status: "OPEN" as const,
  openedAt: "2026-11-27T10:15:00.000Z",
  responseDueAt: "2026-11-27T18:15:00.000Z",
};
/** What each complaint event carries: the case as it now stands, and what the change adds. */
export const complaintPayloads = {
  opened: z.strictObject(complaintCase),
  breached: z.strictObject({ ...complaintCase, breachedAt: instant.describe("When the deadline ran out, ISO-8601 UTC.") }),
  resolved: z.strictObject({
    ...complaintCase,
    respondedAt: instant.describe("When the customer was first answered (the resolution, when nothing came before), ISO-8601 UTC."),
    resolvedAt: instant.describe("When it was resolved, ISO-8601 UTC."),
    followUpSurveyId: z.string().nullable().describe("The follow-up question's survey (`svy_…`); null for an anonymous complaint."),
  }),
  followedUp: z.strictObject({
    ...complaintCase,
    followUpSurveyId: ownId("svy").describe("The follow-up question's survey."),
    resolvedToSatisfaction: z.boolean().describe("The customer's answer: resolved to their satisfaction, or not."),
    answeredAt: instant.describe("When they answered, ISO-8601 UTC."),
  }),
};
const complaintEvents: EventDefinition[] = [
  define({
    producer: "feedback",
    aggregate: "complaint",
    type: "complaint.opened",
    version: 1,
    writtenWhen:
      "A complaint becomes a case to recover: a complaint recorded (`recordFeedback`), or a survey answered with a comment and NPS 0–6, CSAT or post-sale 1–2 (`answerSurvey`).",
    dealer: "The dealer whose customer complained (`dealerId`).",
    payload: complaintPayloads.opened,
    example: complaintExample,
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.dealerId,
  }),
  define({
    producer: "feedback",
    aggregate: "complaint",
    type: "complaint.breached",
    version: 1,
    writtenWhen: "A case's response deadline ran out with no response (`recordComplaintBreaches`, which a scheduler runs every minute); once per case.",
    dealer: "The dealer whose customer complained (`dealerId`).",
    payload: complaintPayloads.breached,
    example: { ...complaintExample, breachedAt: complaintExample.responseDueAt },
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.dealerId,
  }),
  define({
    producer: "feedback",
    aggregate: "complaint",
    type: "complaint.resolved",
    version: 1,
    writtenWhen: "A case is resolved (`resolveComplaintCase`); its follow-up question goes to the customer.",
    dealer: "The dealer whose customer complained (`dealerId`).",
    payload: complaintPayloads.resolved,
    example: {
      ...complaintExample,
      version: 3,
      status: "RESOLVED",
      respondedAt: "2026-11-27T14:02:10.000Z",
      resolvedAt: "2026-11-28T09:30:00.000Z",
      followUpSurveyId: "svy_01JD3QQ8T0W2Y4A6C8E0G2J4M6",
    },
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.dealerId,
  }),
  define({
    producer: "feedback",
    aggregate: "complaint",
    type: "complaint.followed_up",
    version: 1,
    writtenWhen: "The customer answers a resolved case's follow-up question through its link (`answerSurvey`); no `survey.answered` is written for it.",
    dealer: "The dealer whose customer complained (`dealerId`).",
    payload: complaintPayloads.followedUp,
    example: {
      ...complaintExample,
      version: 3,
      status: "RESOLVED",
      followUpSurveyId: "svy_01JD3QQ8T0W2Y4A6C8E0G2J4M6",
      resolvedToSatisfaction: true,
      answeredAt: "2026-11-29T17:45:00.000Z",
    },
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.dealerId,
  }),
];

// ---------------------------------------------------------------------------
// outreach: dealers' worklists
// ---------------------------------------------------------------------------

const REASON_KINDS_V1 = ["COMPLAINT", "DETRACTOR", "POST_SALE_CHECK_IN", "REFILL_DUE", "PRODUCT_DISCONTINUED", "PARTS_GUARANTEE_ENDING"] as const;
const REASON_KINDS = [...REASON_KINDS_V1, "WARRANTY_ENDING", "MAINTENANCE_DUE"] as const;

const offerV1 = z.strictObject({
  kind: z.enum(["SUCCESSOR", "REFILL"]).describe("A discontinued product's successor, or a consumable's refill."),
  productId: z.string().describe("What to offer (`prd_…`)."),
  price: money("Its price").nullable().describe("Its list price (a refill's times the quantity last bought); null when not known."),
});
const offerV2 = z.strictObject({
  kind: z.enum(["SUCCESSOR", "REFILL", "CONTRACT"]).describe("A discontinued product's successor, a consumable's refill, or a service contract for a unit."),
  productId: z.string().nullable().describe("The product to offer (`prd_…`); null for a CONTRACT."),
  planId: z.string().nullable().describe("The contract plan to offer (`pln_…`); null but for a CONTRACT."),
  price: money("Its price")
    .nullable()
    .describe("Its price (a refill's times the quantity last bought, a contract's for the unit and term); null when not known."),
});

const outreachPayload = <Kind extends string, Offer extends z.ZodType>(
  statuses: readonly [string, ...string[]],
  kinds: readonly [Kind, ...Kind[]],
  offer: Offer,
) =>
  z.strictObject({
    id: ownId("otr").describe("The outreach item."),
    version: aggregateVersion("item"),
    dealerId: z.string().describe("The customer's home dealer, whose worklist it is on (`dlr_…`)."),
    customerId: z.string().describe("The customer to contact (`cus_…`)."),
    status: z.enum(statuses).describe("Its status after the change."),
    reason: z.enum(kinds).describe("The leading reason: the most urgent of `reasons`."),
    priority: z.enum(["HIGH", "MEDIUM", "LOW"]).describe("How urgent: the leading reason's."),
    dueOn: date.describe("When to make the contact (no sooner than the dealer's contact interval after the customer was last reached)."),
    channels: z.array(z.enum(["PHONE", "EMAIL"])).describe("The channels the customer consented to."),
    reasons: z
      .array(
        z.strictObject({
          kind: z.enum(kinds).describe("Why."),
          unitId: z.string().nullable().describe("The unit it is about (`unt_…`), if any."),
          productId: z.string().nullable().describe("The product it is about (`prd_…`), if any."),
          dueOn: date.describe("When this reason alone would come due."),
          offer: offer.nullable().describe("What to offer (for WARRANTY_ENDING the cheapest fitting plan); null for a conversation."),
        }),
      )
      .describe("Every reason merged into the item, the leading one first."),
    openedAt: instant.describe("When it was opened, ISO-8601 UTC."),
    closedAt: instant.nullable().describe("When it was closed; null while open."),
    closedBecause: z.string().nullable().describe("Why the facts closed it (MOOT), in a sentence; null otherwise."),
    outcome: z
      .enum(["CONTACTED", "NO_ANSWER", "DECLINED", "CONVERTED", "NOT_APPLICABLE"])
      .nullable()
      .describe("What the dealer recorded last; null before anything was."),
    conversion: z
      .strictObject({
        kind: z.enum(["CONTRACT", "PURCHASE", "VISIT", "UNIT"]).describe("What it led to."),
        id: z.string().describe("Its id (`sct_…`, `cpu_…`, `mvs_…`, `unt_…`)."),
      })
      .nullable()
      .describe("What a CONVERTED item led to; null otherwise."),
  });

const outreachExample = {
  id: "otr_01JD3QR2T4W6Y8A0C2E4G6J8M0",
  version: 1,
  dealerId: dealerExample.id,
  customerId: customerExample.id,
  status: "OPEN",
  reason: "COMPLAINT" as const,
  priority: "HIGH" as const,
  dueOn: "2026-11-28",
  channels: ["PHONE" as const],
  reasons: [
    { kind: "COMPLAINT" as const, unitId: UNIT_ID, productId: PRODUCT_ID, dueOn: "2026-11-28", offer: null },
    {
      kind: "PRODUCT_DISCONTINUED" as const,
      unitId: UNIT_ID,
      productId: PRODUCT_ID,
      dueOn: "2026-12-01",
      offer: { kind: "SUCCESSOR" as const, productId: "prd_01JD3Q9P7R9T1V3X5Z7B9D1F3H", price: { amount: "1499.00", currency: "EUR" } },
    },
  ],
  openedAt: "2026-11-27T10:15:00.000Z",
  closedAt: null,
  closedBecause: null,
  outcome: null,
  conversion: null,
};

const OPENED_WHEN =
  "A fact from another subgraph gives a customer whose level and consent allow it a reason to be contacted, and the customer has no open item (otherwise the reason is merged into that item).";
const CLOSED_WHEN =
  "A dealer records an outcome that closes an item (`recordOutreachOutcome`: anything but NO_ANSWER), or the facts make it moot (the survey answered, the refill bought, a contract sold, a visit booked, the customer opted out).";
const OPEN_STATUSES = ["OPEN"] as const;
const CLOSED_STATUSES = ["CONTACTED", "DECLINED", "CONVERTED", "NOT_APPLICABLE", "MOOT"] as const;
const closedExample = {
  ...outreachExample,
  version: 2,
  status: "CONVERTED",
  closedAt: "2026-11-28T09:30:00.000Z",
  outcome: "CONVERTED" as const,
  conversion: { kind: "UNIT" as const, id: "unt_01JD3QS5V7X9Z1B3D5F7H9K1M3" },
};
/** Version 2 as its reasons carry offers: each has a plan, null but for a contract. */
const v2Example = <E extends Pick<typeof outreachExample, "reasons">>(example: E) => ({
  ...example,
  reasons: example.reasons.map((reason) => ({ ...reason, offer: reason.offer ? { ...reason.offer, planId: null } : null })),
});
const V1_WRITTEN =
  " Version 1 is written beside version 2 while consumers move, for items whose every reason it can name (none of WARRANTY_ENDING or MAINTENANCE_DUE).";

const outreachEvents: EventDefinition[] = [
  define({
    producer: "outreach",
    aggregate: "outreach",
    type: "outreach.opened",
    version: 1,
    writtenWhen: OPENED_WHEN + V1_WRITTEN,
    dealer: "The customer's home dealer (`dealerId`).",
    payload: outreachPayload(OPEN_STATUSES, REASON_KINDS_V1, offerV1),
    example: outreachExample,
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.dealerId,
  }),
  define({
    producer: "outreach",
    aggregate: "outreach",
    type: "outreach.opened",
    version: 2,
    writtenWhen: `${OPENED_WHEN} Adds the reasons WARRANTY_ENDING and MAINTENANCE_DUE and contract offers.`,
    dealer: "The customer's home dealer (`dealerId`).",
    payload: outreachPayload(OPEN_STATUSES, REASON_KINDS, offerV2),
    example: v2Example(outreachExample),
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.dealerId,
  }),
  define({
    producer: "outreach",
    aggregate: "outreach",
    type: "outreach.closed",
    version: 1,
    writtenWhen: CLOSED_WHEN + V1_WRITTEN,
    dealer: "The customer's home dealer (`dealerId`).",
    payload: outreachPayload(CLOSED_STATUSES, REASON_KINDS_V1, offerV1),
    example: closedExample,
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.dealerId,
  }),
  define({
    producer: "outreach",
    aggregate: "outreach",
    type: "outreach.closed",
    version: 2,
    writtenWhen: `${CLOSED_WHEN} Adds the reasons WARRANTY_ENDING and MAINTENANCE_DUE and contract offers.`,
    dealer: "The customer's home dealer (`dealerId`).",
    payload: outreachPayload(CLOSED_STATUSES, REASON_KINDS, offerV2),
    example: v2Example(closedExample),
    aggregateIdOf: (p) => p.id,
    dealerOf: (p) => p.dealerId,
  }),
];

/** The outreach events' payloads by version, as the producer writes them. */
export const outreachItemPayloads = {
  v1: outreachPayload([...OPEN_STATUSES, ...CLOSED_STATUSES], REASON_KINDS_V1, offerV1),
  v2: outreachPayload([...OPEN_STATUSES, ...CLOSED_STATUSES], REASON_KINDS, offerV2),
};
/** The reason kinds version 1 of the outreach events can name. */
export const OUTREACH_V1_REASON_KINDS: readonly string[] = REASON_KINDS_V1;

/** Every event the subgraphs write, by producer, then aggregate. */
export const EVENT_CATALOG: readonly EventDefinition[] = [
  ...partnersEvents,
  ...catalogEvents,
  ...warrantyEvents,
  ...ticketEvents,
  ...feedbackEvents,
  ...complaintEvents,
  ...outreachEvents,
];

const byTypeAndVersion = new Map(EVENT_CATALOG.map((definition) => [`${definition.type}@${definition.version}`, definition]));
if (byTypeAndVersion.size !== EVENT_CATALOG.length) throw new Error("The event catalog lists a type and version twice.");

export function eventDefinition(type: string, version: number): EventDefinition | undefined {
  return byTypeAndVersion.get(`${type}@${version}`);
}

/** An outbox row, as its producer wrote it. */
export interface WrittenEvent {
  producer: string;
  type: string;
  version: number;
  aggregate: string;
  aggregateId: string;
  dealerId: string | null;
  payload: unknown;
}

/** What is wrong with an event by the catalog: nothing when it is listed and its envelope and payload match. */
export function checkEvent(event: WrittenEvent): string[] {
  const definition = eventDefinition(event.type, event.version);
  if (!definition) {
    const known = EVENT_CATALOG.filter((d) => d.type === event.type).map((d) => d.version);
    return [
      known.length
        ? `version ${event.version} of ${event.type} is not in the event catalog (it lists ${known.join(", ")})`
        : `${event.type} is not in the event catalog`,
    ];
  }
  const problems: string[] = [];
  if (definition.producer !== event.producer) problems.push(`written by ${event.producer}, but the catalog says ${definition.producer} writes it`);
  if (definition.aggregate !== event.aggregate) problems.push(`aggregate is ${event.aggregate}, the catalog says ${definition.aggregate}`);
  const read = definition.inspect(event.payload);
  if ("issues" in read) return [...problems, ...read.issues];
  if (read.aggregateId !== event.aggregateId) problems.push(`aggregateId is ${event.aggregateId}, the payload says ${read.aggregateId}`);
  if (read.dealerId !== event.dealerId) problems.push(`dealerId is ${event.dealerId}, the catalog's rule gives ${read.dealerId} (${definition.dealer})`);
  return problems;
}
