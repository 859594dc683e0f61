/**
 * The demo world: partners, customers, catalog, installed base, consumable
 * purchases, parts stock, warranty (terms, contracts, claims: see
 * `warranty.ts`) and service tickets (see `tickets.ts`), described as data. It is a pure function of a
 * seed and a reference date: the same seed and `today` give the same world,
 * and every date is placed relative to `today` so the demo always looks
 * current (warranties running out, refills due this week, repairs open now).
 *
 * Objects refer to each other by keys (`dealer-berlin`, `customer-de-03`) and
 * products by SKU; `seed.ts` turns keys into the ids the API hands out.
 */
import { addDays, addYears, daysBetween } from "@aftersales/kit";
import {
  BABY_CONSUMABLES,
  CONSUMABLES_FOR_EQUIPMENT,
  DISCONTINUED,
  EQUIPMENT,
  MARKETS,
  PARTNERS,
  PRODUCTS,
  PROFILE_EQUIPMENT,
  SKILL_CATEGORIES,
  type BusinessProfile,
  type ConsumerProfile,
  type CustomerProfile,
  type DealerKind,
  type FailureMode,
  type LifecycleStage,
  type Market,
  type MarketKey,
  type PartnerTemplate,
  type ProductKind,
  type Window,
} from "./data.js";
import { Random } from "./random.js";
import { ticketsOf, type DemoTickets } from "./tickets/index.js";
import { warrantyOf, type DemoWarranty } from "./warranty.js";

export type { CustomerProfile, DealerKind, LifecycleStage, ProductKind, Window as DemoBusinessHoursWindow };

export type CustomerKind = "CONSUMER" | "BUSINESS";
export type RelationshipLevel = "BASIC" | "REACTIVE" | "RESPONSIBLE" | "ACTIVE";
export type UnitStatus = "IN_STOCK" | "SOLD" | "DELIVERED" | "INSTALLED" | "IN_REPAIR" | "RETIRED";
/** The events `recordUnitEvent` records; registration, sale and transfer have mutations of their own. */
export type RecordableUnitEvent = "DELIVERED" | "INSTALLED" | "COMMISSIONED" | "OWNER_TRAINED" | "REPAIR_STARTED" | "REPAIRED" | "UPGRADED" | "RETIRED";
export type StockChangeReason = "RECEIVED" | "COUNTED" | "USED" | "RETURNED" | "SCRAPPED";
export type ReplenishmentMethod = "PRODUCT_CYCLE" | "CUSTOMER_HISTORY";

export const UNIT_STATUSES: readonly UnitStatus[] = ["IN_STOCK", "SOLD", "DELIVERED", "INSTALLED", "IN_REPAIR", "RETIRED"];
export const RELATIONSHIP_LEVELS: readonly RelationshipLevel[] = ["BASIC", "REACTIVE", "RESPONSIBLE", "ACTIVE"];

/** The seed `npm start` and the tests use unless told otherwise. */
export const DEFAULT_DEMO_SEED = 20240611;

export interface DemoMoney {
  amount: string;
  currency: string;
}

export interface DemoAddress {
  street: string;
  postalCode: string;
  city: string;
  country: string;
}

export interface DemoGeoPoint {
  latitude: number;
  longitude: number;
}

export interface DemoDealer {
  key: string;
  name: string;
  kind: DealerKind;
  region: string;
  email: string;
  phone: string;
  address: DemoAddress;
  location: DemoGeoPoint;
  serviceRadiusKm: number;
  laborRate: DemoMoney;
  warrantyWorkshop: { authorizedFrom: string; authorizedUntil: string | null } | null;
  calendar: { timeZone: string; weeklyWindows: Window[]; holidays: { date: string; name: string }[] };
}

export interface DemoTechnician {
  key: string;
  /** Key of the service center (or dealer of kind BOTH). */
  serviceCenter: string;
  name: string;
  email: string;
  phone: string;
  skills: string[];
  active: boolean;
}

export interface DemoCustomer {
  key: string;
  kind: CustomerKind;
  name: string;
  companyName: string | null;
  email: string;
  phone: string;
  address: DemoAddress;
  /** Null for the one customer whose location was never recorded (see `tickets.ts`). */
  location: DemoGeoPoint | null;
  /** Key of the home dealer. */
  homeDealer: string;
  relationshipLevel: RelationshipLevel;
  /** What kind of buyer the customer is; decides what they own and buy. Not sent to the API. */
  profile: CustomerProfile;
}

export interface DemoProduct {
  sku: string;
  name: string;
  kind: ProductKind;
  category: string;
  lifecycleStage: Exclude<LifecycleStage, "DISCONTINUED">;
  /** When the product entered its stage: launches lie further back the further on a product is. */
  introducedOn: string;
  listPrice: DemoMoney;
  replenishmentCycleDays: number | null;
  billOfMaterials: { partSku: string; quantity: number; serviceableSeparately: boolean }[];
  repairStandards: { failureCode: string; hours: number }[];
  fittingSkus: string[];
}

export interface DemoDiscontinuation {
  sku: string;
  successorSku: string;
  effectiveOn: string;
  partsGuaranteeYears: number;
  note: string;
}

export type DemoUnitEvent =
  | { kind: "REGISTERED"; occurredOn: string; dealer: string }
  | { kind: "SOLD"; occurredOn: string; customer: string; dealer: string; price: DemoMoney }
  | { kind: "TRANSFERRED"; occurredOn: string; customer: string; note: string }
  /** A repair's start names its failure mode, for warranty claims; the API records the note. */
  | { kind: RecordableUnitEvent; occurredOn: string; note: string | null; failureCode?: string };

export interface DemoUnit {
  serialNumber: string;
  productSku: string;
  /** Key of the dealer that stocks (and sells) it. */
  dealer: string;
  /** Its status once every event is recorded. */
  status: UnitStatus;
  /** Key of the owner once every event is recorded; null while in stock. */
  owner: string | null;
  /** In the order they happened (and must be recorded). */
  events: DemoUnitEvent[];
}

export interface DemoPurchase {
  customer: string;
  productSku: string;
  dealer: string;
  quantity: number;
  purchasedOn: string;
}

/** The forecast the catalog should compute from a customer's purchases of one consumable. */
export interface DemoForecast {
  customer: string;
  productSku: string;
  dealer: string;
  purchaseCount: number;
  method: ReplenishmentMethod;
  daysPerUnit: number;
  runsOutOn: string;
  /** Days from `today` to `runsOutOn`; negative when overdue. */
  daysLeft: number;
}

export interface DemoPartStock {
  /** Key of the service center (or dealer of kind BOTH). */
  serviceCenter: string;
  partSku: string;
  /** Levels set first (a stock count). */
  onHand: number;
  reorderPoint: number;
  maxLevel: number;
  /** Stock movements recorded after the count, in order. */
  adjustments: { change: number; reason: Exclude<StockChangeReason, "COUNTED">; note: string }[];
  /** What is on hand after the movements, and what that makes of the stock. */
  finalOnHand: number;
  shortage: boolean;
  overstock: boolean;
}

export interface DemoWorld {
  seed: number;
  /** The reference date every other date is placed around. */
  today: string;
  dealers: DemoDealer[];
  technicians: DemoTechnician[];
  customers: DemoCustomer[];
  /** In creation order: parts and fittings before the equipment that names them. */
  products: DemoProduct[];
  discontinuations: DemoDiscontinuation[];
  units: DemoUnit[];
  purchases: DemoPurchase[];
  forecasts: DemoForecast[];
  partStocks: DemoPartStock[];
  /** Warranty terms, contract plans, service contracts and warranty claims (see `warranty.ts`). */
  warranty: DemoWarranty;
  /** SLA policies and service tickets with the work done on them (see `tickets.ts`). */
  tickets: DemoTickets;
}

export interface DemoWorldOptions {
  /** Any whole number; the same seed gives the same world. */
  seed?: number;
  /** The reference date, `YYYY-MM-DD`; no event is placed after it. */
  today: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Units sold to customers, and units registered into dealers' stock (one of them written off). */
const OWNED_UNITS = 178;
const STOCK_UNITS = 22;
/** How many sold units end in each status; the rest are in use (delivered or installed). */
const STATUS_QUOTAS = { SOLD: 10, IN_REPAIR: 14, RETIRED: 12 } as const;
const TRANSFERS = 8;
/** Units whose (two-year) warranty runs out within the next weeks. */
const WARRANTY_ENDING_SOON = 10;

export function buildDemoWorld(options: DemoWorldOptions): DemoWorld {
  const { today } = options;
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  if (!ISO_DATE.test(today) || Number.isNaN(Date.parse(`${today}T00:00:00Z`)) || addDays(today, 0) !== today) {
    throw new Error(`The demo's reference date must be a date like 2026-03-01, not \`${today}\`.`);
  }
  const random = new Random(seed);
  const names = new NamePool(random);

  const dealers = PARTNERS.map((partner) => dealerOf(partner, today));
  const technicians = PARTNERS.flatMap((partner) => techniciansOf(partner, random, names));
  const customers = customersOf(random, names);
  const products = PRODUCTS.map((template) => productOf(template, today));
  const discontinuations: DemoDiscontinuation[] = [
    {
      sku: DISCONTINUED.sku,
      successorSku: DISCONTINUED.successorSku,
      // Discontinued on the reference date: its last units were sold from
      // stock until then, and the demo's history has no sale after it.
      effectiveOn: today,
      partsGuaranteeYears: DISCONTINUED.partsGuaranteeYears,
      note: `Replaced by the ${productName(DISCONTINUED.successorSku)}; spare parts stay available for ${DISCONTINUED.partsGuaranteeYears} years.`,
    },
  ];
  const units = unitsOf(random, today, customers);
  const { purchases, forecasts } = purchasesOf(random, today, customers, units);
  const partStocks = partStocksOf(random);
  launchBeforeFirstUse(products, units, purchases);
  // A random source of its own, so the rest of the world comes out as it did before warranties.
  const warranty = warrantyOf({ seed, today, dealers, customers, products, units });
  // Its own random source too; it places two customers out of dispatch's reach, which nothing before depends on.
  const tickets = ticketsOf({ seed, today, dealers, technicians, customers, products, units, partStocks, warranty });
  const moved = new Map(tickets.moves.map((move) => [move.customer, move]));
  const placed = customers.map((c) => {
    const move = moved.get(c.key);
    return move ? { ...c, address: move.address, location: move.location } : c;
  });

  return { seed, today, dealers, technicians, customers: placed, products, discontinuations, units, purchases, forecasts, partStocks, warranty, tickets };
}

// ---------------------------------------------------------------------------
// Partners

function dealerOf(partner: PartnerTemplate, today: string): DemoDealer {
  const market = MARKETS[partner.market];
  const year = Number(today.slice(0, 4));
  const holidays = new Map<string, string>();
  for (const y of [year, year + 1]) {
    for (const [date, name] of nationalHolidays(partner.market, y)) if (!holidays.has(date)) holidays.set(date, name);
    for (const [monthDay, name] of partner.companyHolidays) {
      const date = `${y}-${monthDay}`;
      if (!holidays.has(date)) holidays.set(date, name);
    }
  }
  return {
    key: partner.key,
    name: partner.name,
    kind: partner.kind,
    region: market.region,
    email: partner.email,
    phone: partner.phone,
    address: { street: partner.street, postalCode: partner.postalCode, city: partner.city, country: market.country },
    location: { latitude: partner.latitude, longitude: partner.longitude },
    serviceRadiusKm: partner.serviceRadiusKm,
    laborRate: { amount: partner.laborRate, currency: market.currency },
    warrantyWorkshop:
      partner.authorizedYearsAgo === null
        ? null
        : {
            authorizedFrom: addYears(today, -partner.authorizedYearsAgo),
            authorizedUntil: partner.authorizationEndedDaysAgo === null ? null : addDays(today, -partner.authorizationEndedDaysAgo),
          },
    calendar: {
      timeZone: partner.timeZone,
      weeklyWindows: partner.weeklyWindows.map((window) => ({ ...window })),
      holidays: [...holidays].sort(([a], [b]) => a.localeCompare(b)).map(([date, name]) => ({ date, name })),
    },
  };
}

function techniciansOf(partner: PartnerTemplate, random: Random, names: NamePool): DemoTechnician[] {
  const market = MARKETS[partner.market];
  const count = partner.technicians;
  // Few technicians cover more categories each, so every center can repair everything.
  const perTechnician = count <= 2 ? 3 : 2;
  return Array.from({ length: count }, (_, i) => {
    const person = names.person(market);
    const skills = new Set<string>();
    for (let s = 0; s < perTechnician; s++) skills.add(SKILL_CATEGORIES[(i * perTechnician + s) % SKILL_CATEGORIES.length]!);
    if (random.chance(0.3)) skills.add(random.pick(SKILL_CATEGORIES));
    return {
      key: `${partner.key}-tech-${i + 1}`,
      serviceCenter: partner.key,
      name: person.name,
      email: `${person.emailName}@${partner.domain}`,
      phone: market.phone(random),
      skills: [...skills].sort(),
      // The fourth technician of a large center has left; kept for history.
      active: i < 3,
    };
  });
}

/** Customers per selling dealer: three businesses each, the rest consumers; 50 in all. */
const CUSTOMERS_PER_DEALER: Readonly<Record<string, number>> = {
  "dealer-berlin": 13,
  "dealer-london": 12,
  "dealer-newyork": 13,
  "dealer-tokyo": 12,
};
const BUSINESSES_PER_DEALER = 3;

function customersOf(random: Random, names: NamePool): DemoCustomer[] {
  const sellers = PARTNERS.filter((partner) => partner.kind !== "SERVICE_CENTER");
  const consumerCount = sellers.reduce((sum, s) => sum + (CUSTOMERS_PER_DEALER[s.key] ?? 0) - BUSINESSES_PER_DEALER, 0);
  // Every level occurs; consumers get them in a shuffled round robin.
  const levels = random.shuffle(Array.from({ length: consumerCount }, (_, i) => RELATIONSHIP_LEVELS[i % RELATIONSHIP_LEVELS.length]!));
  const customers: DemoCustomer[] = [];
  for (const seller of sellers) {
    const market = MARKETS[seller.market];
    const count = CUSTOMERS_PER_DEALER[seller.key] ?? 0;
    const businesses = random.shuffle(market.businesses).slice(0, BUSINESSES_PER_DEALER);
    for (let i = 0; i < count; i++) {
      const business = businesses[i];
      const person = names.person(market);
      const place = random.pick(market.places);
      const common = {
        key: `customer-${market.key}-${String(i + 1).padStart(2, "0")}`,
        name: person.name,
        phone: market.phone(random),
        address: {
          street: market.streetLine(random.pick(place.streets), random),
          postalCode: market.postalCode(place, random),
          city: place.city,
          country: market.country,
        },
        location: {
          latitude: round(place.latitude + random.float(-0.008, 0.008), 5),
          longitude: round(place.longitude + random.float(-0.012, 0.012), 5),
        },
        homeDealer: seller.key,
      };
      if (business) {
        customers.push({
          ...common,
          kind: "BUSINESS",
          companyName: business.name,
          email: `${person.emailName}@${slug(business.name)}.example`,
          // Businesses are looked after more closely.
          relationshipLevel: random.pick<RelationshipLevel>(["ACTIVE", "ACTIVE", "RESPONSIBLE"]),
          profile: business.profile,
        });
      } else {
        const profile = random.weighted<ConsumerProfile>([
          ["coffee", 3],
          ["family", 3],
          ["home", 4],
        ]);
        customers.push({
          ...common,
          kind: "CONSUMER",
          companyName: null,
          email: `${person.emailName}${random.chance(0.3) ? random.int(1, 99) : ""}@${random.pick(["example.com", "example.net", "example.org"])}`,
          relationshipLevel: levels.pop() ?? "BASIC",
          profile,
        });
      }
    }
  }
  return customers;
}

// ---------------------------------------------------------------------------
// Catalog

/** A product is on the market a month before its first unit or purchase, whatever its stage says. */
function launchBeforeFirstUse(products: DemoProduct[], units: DemoUnit[], purchases: DemoPurchase[]): void {
  const firstUse = new Map<string, string>();
  const use = (sku: string, on: string) => {
    const seen = firstUse.get(sku);
    if (!seen || on < seen) firstUse.set(sku, on);
  };
  for (const unit of units) for (const event of unit.events) use(unit.productSku, event.occurredOn);
  for (const purchase of purchases) use(purchase.productSku, purchase.purchasedOn);
  for (const product of products) {
    const first = firstUse.get(product.sku);
    if (first && addDays(first, -30) < product.introducedOn) product.introducedOn = addDays(first, -30);
  }
}

/** Years on the market by the stage a product is in. */
const YEARS_IN_MARKET: Record<DemoProduct["lifecycleStage"], number> = { INTRODUCTION: 0, GROWTH: 2, MATURITY: 5, DECLINE: 8 };

function productOf(template: (typeof PRODUCTS)[number], today: string): DemoProduct {
  const years = YEARS_IN_MARKET[template.lifecycleStage];
  return {
    sku: template.sku,
    name: template.name,
    kind: template.kind,
    category: template.category,
    lifecycleStage: template.lifecycleStage,
    introducedOn: years ? addYears(today, -years) : addDays(today, -60),
    listPrice: { amount: template.listPrice, currency: "EUR" },
    replenishmentCycleDays: template.replenishmentCycleDays ?? null,
    billOfMaterials: (template.billOfMaterials ?? []).map((line) => ({ ...line })),
    repairStandards: (template.failureModes ?? []).map((mode) => ({ failureCode: mode.code, hours: mode.hours })),
    fittingSkus: [...(template.fittingSkus ?? [])],
  };
}

const productTemplate = (sku: string) => {
  const template = PRODUCTS.find((product) => product.sku === sku);
  if (!template) throw new Error(`The demo catalog has no product ${sku}.`);
  return template;
};
const productName = (sku: string) => productTemplate(sku).name;
const equipmentProfile = (sku: string) => {
  const profile = EQUIPMENT[sku];
  if (!profile) throw new Error(`${sku} is not demo equipment.`);
  return profile;
};

// ---------------------------------------------------------------------------
// Installed base

type Final = keyof typeof STATUS_QUOTAS | "LIVE";

interface UnitContext {
  random: Random;
  today: string;
  customers: readonly DemoCustomer[];
  nextSerial: (prefix: string, registeredOn: string) => string;
  warrantyEndingSoon: { left: number };
}

function unitsOf(random: Random, today: string, customers: readonly DemoCustomer[]): DemoUnit[] {
  let counter = random.int(1000, 5000);
  const context: UnitContext = {
    random,
    today,
    customers,
    nextSerial: (prefix, registeredOn) => {
      counter += random.int(1, 29);
      return `${prefix}-${registeredOn.slice(2, 4)}${registeredOn.slice(5, 7)}-${String(counter).padStart(5, "0")}`;
    },
    warrantyEndingSoon: { left: WARRANTY_ENDING_SOON },
  };

  // Who owns what: everyone owns something; businesses own more.
  const owned: { customer: DemoCustomer; sku: string }[] = [];
  const ownedBy = new Map<string, string[]>();
  const allocate = (customer: DemoCustomer): boolean => {
    const mine = ownedBy.get(customer.key) ?? [];
    let options = PROFILE_EQUIPMENT[customer.profile];
    if (customer.kind === "CONSUMER") {
      // A household has at most three of these, and one of each (car seats excepted: one per child).
      if (mine.length >= 3) return false;
      options = options.filter(([sku]) => sku === "CS-10" || !mine.includes(sku));
      if (options.length === 0) return false;
    }
    const sku = random.weighted(options);
    owned.push({ customer, sku });
    ownedBy.set(customer.key, [...mine, sku]);
    return true;
  };
  for (const customer of customers) allocate(customer);
  const weights = customers.map((customer) => [customer, customer.kind === "BUSINESS" ? 6 : 1] as const);
  for (let guard = 0; owned.length < OWNED_UNITS && guard < 100_000; guard++) allocate(random.weighted(weights));

  const finals: Final[] = random.shuffle(
    owned.map((_, i): Final => {
      let offset = 0;
      for (const [status, quota] of Object.entries(STATUS_QUOTAS) as [keyof typeof STATUS_QUOTAS, number][]) {
        if (i < offset + quota) return status;
        offset += quota;
      }
      return "LIVE";
    }),
  );
  const transferred = new Set(random.shuffle(owned.map((_, i) => i).filter((i) => finals[i] !== "SOLD")).slice(0, TRANSFERS));

  const units = owned.map(({ customer, sku }, i) => soldUnit(context, customer, sku, finals[i] ?? "LIVE", transferred.has(i)));

  const sellers = PARTNERS.filter((partner) => partner.kind !== "SERVICE_CENTER");
  const writtenOff = random.int(0, STOCK_UNITS - 1);
  for (let i = 0; i < STOCK_UNITS; i++) {
    units.push(stockUnit(context, sellers[i % sellers.length]!.key, i === writtenOff));
  }
  return units;
}

/** A unit still in (or written off from) a dealer's stock. */
function stockUnit(context: UnitContext, dealer: string, writtenOff: boolean): DemoUnit {
  const { random, today } = context;
  const sku = random.weighted<string>([
    ["ESP-300", 3],
    ["ESP-200", 1],
    ["DW-45", 2],
    ["PRN-500", 2],
    ["TAB-10", 2],
    ["CS-10", 3],
  ]);
  const registeredOn = addDays(today, writtenOff ? -random.int(60, 200) : -random.int(3, 120));
  const events: DemoUnitEvent[] = [{ kind: "REGISTERED", occurredOn: registeredOn, dealer }];
  if (writtenOff) {
    events.push({
      kind: "RETIRED",
      occurredOn: addDays(today, -random.int(5, 40)),
      note: "Transport damage found at goods-in inspection; written off.",
    });
  }
  return {
    serialNumber: context.nextSerial(equipmentProfile(sku).serialPrefix, registeredOn),
    productSku: sku,
    dealer,
    status: writtenOff ? "RETIRED" : "IN_STOCK",
    owner: null,
    events,
  };
}

/** A unit sold to `customer`, with everything that happened to it since, ending in `final`. */
function soldUnit(context: UnitContext, customer: DemoCustomer, sku: string, final: Final, transfer: boolean): DemoUnit {
  const { random, today } = context;
  const equipment = equipmentProfile(sku);
  const template = productTemplate(sku);
  const failures = template.failureModes ?? [];
  const business = customer.kind === "BUSINESS";
  const dealer = customer.homeDealer;

  // Where the unit ends up while in use: installed, or just delivered.
  const installs =
    equipment.setup === "handover"
      ? false
      : equipment.setup === "car"
        ? random.chance(0.75)
        : sku === "DW-45"
          ? random.chance(0.9)
          : business || random.chance(0.5);

  // The sale date, and the date the story ends (today, the repair drop-off, the retirement).
  let soldOn: string;
  let endOn = today;
  const window = equipment.soldForDays;
  if (final === "SOLD") {
    soldOn = addDays(today, -random.int(0, 9));
  } else if (final === "RETIRED") {
    if (window > 3 * 365 + 200) {
      soldOn = addDays(today, -random.int(3 * 365 + 100, window));
      endOn = addDays(soldOn, random.int(900, daysBetween(soldOn, today) - 5));
    } else {
      soldOn = addDays(today, -random.int(60, window));
      endOn = addDays(soldOn, random.int(30, daysBetween(soldOn, today) - 2));
    }
  } else {
    if (context.warrantyEndingSoon.left > 0 && window >= 760 && random.chance(0.2)) {
      context.warrantyEndingSoon.left--;
      soldOn = addDays(today, -730 + random.int(3, 45));
    } else {
      soldOn = addDays(today, -(12 + Math.floor((window - 12) * random.next() ** 1.4)));
    }
    if (final === "IN_REPAIR") endOn = addDays(today, -random.int(0, 12));
  }
  if (endOn < soldOn) endOn = soldOn;
  const registeredOn = addDays(soldOn, -random.int(2, 45));

  const market = MARKETS[marketOf(dealer)];
  const clearance = sku === DISCONTINUED.sku && daysBetween(soldOn, today) < 365;
  const discount = clearance ? random.float(0.2, 0.3) : business ? random.float(0.08, 0.18) : random.float(0, 0.08);
  const price = priceIn(market, Number(template.listPrice), discount);

  const events: DemoUnitEvent[] = [
    { kind: "REGISTERED", occurredOn: registeredOn, dealer },
    { kind: "SOLD", occurredOn: soldOn, customer: customer.key, dealer, price },
  ];
  let owner = customer.key;
  let status: UnitStatus = "SOLD";
  let cursor = soldOn;
  /** Records an event no earlier than the last one and no later than the story's end. */
  const record = (kind: RecordableUnitEvent, on: string, note: string | null = null, failure?: FailureMode) => {
    cursor = clampDate(on, cursor, endOn);
    events.push(failure ? { kind, occurredOn: cursor, note, failureCode: failure.code } : { kind, occurredOn: cursor, note });
  };

  if (final !== "SOLD") {
    if (equipment.setup === "install") {
      record("DELIVERED", addDays(soldOn, random.int(1, 10)), business ? "Delivered to the premises" : null);
      status = "DELIVERED";
      if (installs) {
        const installedOn = addDays(cursor, random.int(0, 5));
        record("INSTALLED", installedOn, sku === "DW-45" ? "Connected to water and drain" : null);
        record("COMMISSIONED", installedOn, commissioningNote(sku));
        status = "INSTALLED";
        if (sku !== "DW-45" ? random.chance(0.8) : random.chance(0.3)) {
          record("OWNER_TRAINED", addDays(cursor, random.int(0, 2)), trainingNote(sku, business));
        }
      } else if (random.chance(0.4)) {
        record("OWNER_TRAINED", cursor, trainingNote(sku, business));
      }
    } else if (equipment.setup === "car") {
      if (installs) {
        record("INSTALLED", soldOn, "Fitted into the customer's car at the dealer");
        record("OWNER_TRAINED", soldOn, "ISOFIX fitting and harness adjustment shown");
        status = "INSTALLED";
      } else {
        record("DELIVERED", addDays(soldOn, random.int(1, 4)), "Shipped to the customer");
        status = "DELIVERED";
      }
    } else {
      record(
        "DELIVERED",
        business ? addDays(soldOn, random.int(1, 5)) : soldOn,
        business ? "Delivered and enrolled in device management" : "Handed over in the store",
      );
      status = "DELIVERED";
      if (random.chance(0.5)) record("OWNER_TRAINED", cursor, trainingNote(sku, business));
    }

    // What happened while in use, in a random order, spread over the time left.
    const middle: ("repair" | "upgrade" | "transfer")[] = [];
    const room = daysBetween(cursor, endOn);
    if (failures.length && room >= 45 && random.chance(0.3)) middle.push("repair");
    if (equipment.upgrades.length && room >= 20 && random.chance(0.35)) middle.push("upgrade");
    const newOwner = transfer && room >= 14 ? otherCustomer(random, context.customers, customer) : null;
    if (newOwner) middle.push("transfer");
    const steps = random.shuffle(middle);
    steps.forEach((step, i) => {
      const left = daysBetween(cursor, endOn);
      if (left < 2) return;
      const on = addDays(cursor, random.int(1, Math.max(1, Math.floor(left / (steps.length - i + 1)))));
      if (step === "repair") {
        const failure = random.pick(failures);
        record("REPAIR_STARTED", on, `${failure.code}: ${failure.symptom}`, failure);
        record("REPAIRED", addDays(cursor, random.int(1, 8)), failure.fix);
      } else if (step === "upgrade") {
        record("UPGRADED", on, random.pick(equipment.upgrades));
      } else if (newOwner) {
        cursor = clampDate(on, cursor, endOn);
        events.push({ kind: "TRANSFERRED", occurredOn: cursor, customer: newOwner.key, note: transferNote(random, customer, newOwner) });
        owner = newOwner.key;
      }
    });

    if (final === "IN_REPAIR") {
      const failure = random.pick(failures);
      record("REPAIR_STARTED", endOn, `${failure.code}: ${failure.symptom}`, failure);
      status = "IN_REPAIR";
    } else if (final === "RETIRED") {
      record("RETIRED", endOn, retirementNote(random, sku, failures));
      status = "RETIRED";
    }
  }

  return {
    serialNumber: context.nextSerial(equipment.serialPrefix, registeredOn),
    productSku: sku,
    dealer,
    status,
    owner,
    events,
  };
}

const clampDate = (date: string, notBefore: string, notAfter: string) =>
  date < notBefore ? notBefore : date > notAfter ? (notAfter < notBefore ? notBefore : notAfter) : date;

function otherCustomer(random: Random, customers: readonly DemoCustomer[], from: DemoCustomer): DemoCustomer | null {
  const candidates = customers.filter((c) => c.homeDealer === from.homeDealer && c.key !== from.key);
  const sameKind = candidates.filter((c) => c.kind === from.kind);
  const pool = sameKind.length ? sameKind : candidates;
  return pool.length ? random.pick(pool) : null;
}

function commissioningNote(sku: string): string {
  if (sku.startsWith("ESP")) return "Water hardness set, grinder calibrated, first shots pulled";
  if (sku === "DW-45") return "Test cycle run, no leaks";
  return "Network set up, test page printed";
}

function trainingNote(sku: string, business: boolean): string {
  if (sku.startsWith("ESP")) return business ? "Staff shown milk frothing, cleaning and descaling" : "Owner shown cleaning and descaling";
  if (sku === "PRN-500") return "Toner change and paper jams shown";
  if (sku === "TAB-10") return "Set-up, backup and screen-film replacement shown";
  return "Programs and filter cleaning shown";
}

function transferNote(random: Random, from: DemoCustomer, to: DemoCustomer): string {
  if (from.kind === "BUSINESS") return `Taken over by ${to.companyName ?? to.name}`;
  return random.pick(["Sold second-hand to a neighbour", "Given to a family member", "Left behind for the new owner of the flat"]);
}

function retirementNote(random: Random, sku: string, failures: readonly FailureMode[]): string {
  if (sku === DISCONTINUED.sku) return random.pick([`Replaced by a ${productName(DISCONTINUED.successorSku)}`, "Beyond economical repair"]);
  if (sku === "CS-10") return "Replaced after a car accident, as the maker requires";
  const failure = failures.length ? random.pick(failures) : null;
  return failure ? `Beyond economical repair (${failure.code})` : "Disposed of by the owner";
}

// ---------------------------------------------------------------------------
// Consumables

function purchasesOf(
  random: Random,
  today: string,
  customers: readonly DemoCustomer[],
  units: readonly DemoUnit[],
): { purchases: DemoPurchase[]; forecasts: DemoForecast[] } {
  // Since when a customer needs each consumable: from their first machine it fits.
  const needsSince = new Map<string, Map<string, string>>();
  for (const unit of units) {
    const sale = unit.events.find((event) => event.kind === "SOLD");
    if (!sale || !("customer" in sale)) continue;
    const mine = needsSince.get(sale.customer) ?? new Map<string, string>();
    for (const sku of CONSUMABLES_FOR_EQUIPMENT[unit.productSku] ?? []) {
      const since = mine.get(sku);
      if (!since || sale.occurredOn < since) mine.set(sku, sale.occurredOn);
    }
    needsSince.set(sale.customer, mine);
  }

  const purchases: DemoPurchase[] = [];
  const forecasts: DemoForecast[] = [];
  let pair = 0;
  for (const customer of customers) {
    const business = customer.kind === "BUSINESS";
    if (!business && !random.chance(0.85)) continue;
    const since = new Map(needsSince.get(customer.key) ?? []);
    if (customer.profile === "family" || customer.profile === "daycare") {
      for (const sku of BABY_CONSUMABLES) since.set(sku, addDays(today, -random.int(200, 500)));
    }
    const chosen = random.shuffle([...since.keys()].sort()).slice(0, business ? random.int(2, 3) : random.int(1, 2));
    for (const sku of chosen) {
      const history = purchaseHistory(random, today, pair++, business, productTemplate(sku).replenishmentCycleDays ?? 30, since.get(sku) ?? today);
      for (const p of history.purchases) {
        purchases.push({ customer: customer.key, productSku: sku, dealer: customer.homeDealer, quantity: p.quantity, purchasedOn: p.purchasedOn });
      }
      forecasts.push({ customer: customer.key, productSku: sku, dealer: customer.homeDealer, ...history.forecast });
    }
  }
  return { purchases, forecasts };
}

/**
 * One customer's purchases of one consumable, at a personal rhythm with some
 * noise (and now and then a long gap), placed so that the forecast lands
 * where the demo wants it: every fourth due within a week, some overdue, the
 * rest later. Every third has fewer than three purchases, so its forecast
 * rests on the product's cycle.
 */
function purchaseHistory(random: Random, today: string, pair: number, business: boolean, cycleDays: number, notBefore: string) {
  const daysPerUnit = cycleDays * (business ? random.float(0.15, 0.5) : random.float(0.7, 1.4));
  const fromCycle = pair % 3 === 2;
  // A business with a rhythm buys in bulk; a new business customer tries a few first.
  const quantity = () =>
    business && !fromCycle
      ? random.int(3, 10)
      : random.weighted([
          [1, 5],
          [2, 3],
          [3, 1],
        ] as const);
  let count = fromCycle ? random.int(1, 2) : random.int(3, 7);
  const quantities = Array.from({ length: count }, quantity);
  // gaps[i]: days from purchase i to purchase i + 1.
  const gaps = quantities.slice(0, -1).map((q) => Math.max(1, Math.round(daysPerUnit * q * random.float(0.85, 1.15))));
  if (gaps.length >= 4 && random.chance(0.4)) {
    const i = random.int(0, gaps.length - 1);
    gaps[i] = Math.round(gaps[i]! * random.float(1.6, 2.2));
  }
  const target = pair % 4 === 0 ? "due-this-week" : pair % 8 === 1 ? "overdue" : "later";
  const lead = random.next();

  for (;;) {
    const forecast = forecastOf(cycleDays, quantities, gaps);
    const lasts = Math.round(forecast.daysPerUnit * quantities[quantities.length - 1]!);
    const daysLeft =
      target === "due-this-week"
        ? Math.min(lasts, Math.floor(lead * 8))
        : target === "overdue"
          ? -1 - Math.floor(lead * 10)
          : Math.min(lasts, 8) + Math.floor(lead * Math.max(0, lasts - Math.min(lasts, 8) + 1));
    const lastOn = addDays(today, daysLeft - lasts);
    const dates = [lastOn];
    for (let i = gaps.length - 1; i >= 0; i--) dates.unshift(addDays(dates[0]!, -gaps[i]!));
    // Nobody buys cartridges for a printer they do not have yet: drop what came before.
    if (count > 1 && dates[0]! < notBefore) {
      count--;
      quantities.shift();
      gaps.shift();
      continue;
    }
    return {
      purchases: dates.map((purchasedOn, i) => ({ purchasedOn, quantity: quantities[i]! })),
      forecast: { ...forecast, runsOutOn: addDays(lastOn, lasts), daysLeft },
    };
  }
}

/** The catalog's rule (see its `forecastRunOut`), for purchases on distinct days. */
function forecastOf(cycleDays: number, quantities: readonly number[], gaps: readonly number[]) {
  const purchaseCount = quantities.length;
  if (purchaseCount < 3) return { purchaseCount, method: "PRODUCT_CYCLE" as const, daysPerUnit: cycleDays };
  const perUnit = gaps.map((gap, i) => gap / quantities[i]!).sort((a, b) => a - b);
  const mid = Math.floor(perUnit.length / 2);
  const median = perUnit.length % 2 ? perUnit[mid]! : (perUnit[mid - 1]! + perUnit[mid]!) / 2;
  return { purchaseCount, method: "CUSTOMER_HISTORY" as const, daysPerUnit: median };
}

// ---------------------------------------------------------------------------
// Parts stock

function partStocksOf(random: Random): DemoPartStock[] {
  const parts = PRODUCTS.filter((product) => product.kind === "SPARE_PART").map((product) => product.sku);
  const stocks: DemoPartStock[] = [];
  for (const partner of PARTNERS.filter((p) => p.kind !== "DEALER")) {
    const center = partner.kind === "SERVICE_CENTER";
    const stocked = center ? parts : random.shuffle(parts).slice(0, 4).sort();
    // Every service center is short of one part and has too much of another.
    const order = random.shuffle(stocked.map((_, i) => i));
    const shortIndex = center || random.chance(0.5) ? order[0] : undefined;
    const overIndex = center ? order[1] : undefined;
    stocked.forEach((partSku, i) => {
      const reorderPoint = random.int(2, 6);
      const maxLevel = reorderPoint + random.int(6, 20);
      const finalOnHand =
        i === shortIndex ? random.int(0, reorderPoint) : i === overIndex ? maxLevel + random.int(5, 30) : random.int(reorderPoint + 1, maxLevel);
      const adjustments: DemoPartStock["adjustments"] = [];
      if (random.chance(0.5)) {
        const used = random.int(1, 3);
        const scrapped = random.chance(0.2) ? 1 : 0;
        const headroom = finalOnHand + used + scrapped;
        if (headroom >= 4) adjustments.push({ change: random.int(4, Math.min(12, headroom)), reason: "RECEIVED", note: "Delivery from the central warehouse" });
        adjustments.push({ change: -used, reason: "USED", note: "Used in repairs" });
        if (scrapped) adjustments.push({ change: -scrapped, reason: "SCRAPPED", note: "Damaged in storage" });
      }
      const onHand = finalOnHand - adjustments.reduce((sum, a) => sum + a.change, 0);
      stocks.push({
        serviceCenter: partner.key,
        partSku,
        onHand,
        reorderPoint,
        maxLevel,
        adjustments,
        finalOnHand,
        shortage: finalOnHand <= reorderPoint,
        overstock: maxLevel > 0 && finalOnHand > maxLevel,
      });
    });
  }
  return stocks;
}

// ---------------------------------------------------------------------------
// Helpers

const marketOf = (partnerKey: string): MarketKey => {
  const partner = PARTNERS.find((p) => p.key === partnerKey);
  if (!partner) throw new Error(`No demo partner ${partnerKey}.`);
  return partner.market;
};

/** A price in the market's currency, ending in .90 (or in whole hundreds of yen). */
function priceIn(market: Market, listEur: number, discount: number): DemoMoney {
  const value = listEur * market.eurRate * (1 - discount);
  if (market.wholeAmounts) return { amount: String(Math.round(value / 100) * 100), currency: market.currency };
  return { amount: (Math.max(1, Math.round(value)) - 0.1).toFixed(2), currency: market.currency };
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

const TRANSLITERATION: Record<string, string> = { ä: "ae", ö: "oe", ü: "ue", ß: "ss", Ä: "Ae", Ö: "Oe", Ü: "Ue" };
const ascii = (text: string) =>
  text
    .replace(/[äöüßÄÖÜ]/g, (c) => TRANSLITERATION[c] ?? c)
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "");
const slug = (text: string) =>
  ascii(text)
    .toLowerCase()
    .replace(/&/g, " ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** People's names, each used once per market. */
class NamePool {
  private readonly used = new Set<string>();

  constructor(private readonly random: Random) {}

  person(market: Market): { name: string; emailName: string } {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const first = this.random.pick(market.firstNames);
      const last = this.random.pick(market.lastNames);
      const name = `${first} ${last}`;
      if (this.used.has(`${market.key}:${name}`)) continue;
      this.used.add(`${market.key}:${name}`);
      return { name, emailName: `${slug(first)}.${slug(last)}` };
    }
    throw new Error(`Ran out of names for ${market.key}.`);
  }
}

// ---------------------------------------------------------------------------
// Holidays

/** The main public holidays of a market in `year`, as [date, name]. */
export function nationalHolidays(market: MarketKey, year: number): [string, string][] {
  const on = (month: number, day: number) => `${year}-${pad(month)}-${pad(day)}`;
  const easter = easterSunday(year);
  switch (market) {
    case "de":
      return [
        [on(1, 1), "Neujahr"],
        [addDays(easter, -2), "Karfreitag"],
        [addDays(easter, 1), "Ostermontag"],
        [on(5, 1), "Tag der Arbeit"],
        [addDays(easter, 39), "Christi Himmelfahrt"],
        [addDays(easter, 50), "Pfingstmontag"],
        [on(10, 3), "Tag der Deutschen Einheit"],
        [on(12, 25), "1. Weihnachtstag"],
        [on(12, 26), "2. Weihnachtstag"],
      ];
    case "uk":
      return [
        [on(1, 1), "New Year's Day"],
        [addDays(easter, -2), "Good Friday"],
        [addDays(easter, 1), "Easter Monday"],
        [nthWeekday(year, 5, 1, 1), "Early May bank holiday"],
        [lastWeekday(year, 5, 1), "Spring bank holiday"],
        [lastWeekday(year, 8, 1), "Summer bank holiday"],
        [on(12, 25), "Christmas Day"],
        [on(12, 26), "Boxing Day"],
      ];
    case "us":
      return [
        [on(1, 1), "New Year's Day"],
        [lastWeekday(year, 5, 1), "Memorial Day"],
        [on(7, 4), "Independence Day"],
        [nthWeekday(year, 9, 1, 1), "Labor Day"],
        [nthWeekday(year, 11, 4, 4), "Thanksgiving Day"],
        [on(12, 25), "Christmas Day"],
      ];
    case "jp":
      return [
        [on(1, 1), "New Year's Day (Ganjitsu)"],
        [on(2, 11), "National Foundation Day"],
        [on(5, 3), "Constitution Memorial Day"],
        [on(5, 4), "Greenery Day"],
        [on(5, 5), "Children's Day"],
        [on(11, 3), "Culture Day"],
        [on(11, 23), "Labour Thanksgiving Day"],
      ];
  }
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Easter Sunday (Gregorian calendar, anonymous algorithm). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** The `n`th `weekday` (0 = Sunday) of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): string {
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  return `${year}-${pad(month)}-${pad(1 + ((weekday - first + 7) % 7) + (n - 1) * 7)}`;
}

/** The last `weekday` (0 = Sunday) of a month. */
function lastWeekday(year: number, month: number, weekday: number): string {
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = new Date(Date.UTC(year, month - 1, lastDay)).getUTCDay();
  return `${year}-${pad(month)}-${pad(lastDay - ((last - weekday + 7) % 7))}`;
}

export type { BusinessProfile, ConsumerProfile };
