/**
 * The tickets part of the demo world: two dealers' SLA policies and about
 * thirty service tickets across the four markets, each with the work done on
 * it since it was opened: dispatched to a service center (or not, and why),
 * started, waiting for the customer or for parts, resolved, closed,
 * cancelled, reopened, an agent's override of dispatch, parts taken from a
 * service center's shelf, loaners lent and returned, notes and a raised
 * priority.
 *
 * Like the rest of the world it is a pure function of the seed and `today`;
 * tickets carry no dates of their own, since the tickets subgraph stamps
 * every change with the time it is made: the demo's tickets are opened when
 * it is seeded, and their SLA clocks run from then.
 *
 * Where the tickets subgraph decides something (which service center
 * dispatch chooses, where a ticket's SLA targets come from), this file works
 * it out by the rule the subgraph documents, so the seed can aim at each
 * story and the tests can hold the API to what the world expects. Dispatch
 * needs customers it cannot serve, so two customers are placed out of reach
 * here: one whose location was never recorded, and one who moved away from
 * every authorized service center's radius.
 */
import { addDays } from "@aftersales/kit";
import {
  decideDispatch,
  needsVisit,
  OPEN_STATUSES,
  SLA_SOURCES,
  STATUSES,
  type Priority,
  type SlaSource,
  type TicketChannel,
  type TicketKind,
  type TicketStatus,
} from "@aftersales/tickets/domain";
import { EQUIPMENT, PRODUCTS, type FailureMode } from "./data.js";
import { Random } from "./random.js";
import type { DemoWarranty } from "./warranty.js";
import type { DemoAddress, DemoCustomer, DemoDealer, DemoGeoPoint, DemoPartStock, DemoProduct, DemoTechnician, DemoUnit } from "./world.js";

// The tickets subgraph's own lists, under the demo's names.
export type DemoTicketKind = TicketKind;
export type DemoTicketChannel = TicketChannel;
export type DemoPriority = Priority;
export type DemoTicketStatus = TicketStatus;
export type DemoSlaSource = SlaSource;
export const DEMO_TICKET_STATUSES = STATUSES;
export const DEMO_SLA_SOURCES = SLA_SOURCES;

/** A dealer's default SLA targets, in business minutes, P1 first. */
export interface DemoSlaPolicy {
  dealer: string;
  targets: { priority: DemoPriority; responseMinutes: number; resolutionMinutes: number }[];
  pausesOnWaitingParts: boolean;
}

/** Something done on a ticket after it was opened, in order. Keys name dealers, technicians and units by serial number. */
export type DemoTicketStep =
  | { kind: "STATUS"; status: DemoTicketStatus; resolution: string | null; note: string | null }
  | { kind: "ASSIGN"; serviceCenter: string; technician: string | null; reason: string | null; note: string | null }
  | { kind: "PRIORITY"; priority: DemoPriority; reason: string }
  | { kind: "NOTE"; note: string }
  | { kind: "PARTS"; serviceCenter: string; parts: { partSku: string; quantity: number }[]; note: string | null }
  | { kind: "LEND"; serialNumber: string; note: string | null }
  | { kind: "RETURN_LOANER"; note: string | null };

/** What dispatch makes of a ticket when it is opened. */
export interface DemoDispatch {
  /** Key of the service center it chooses; null when none qualifies. */
  serviceCenter: string | null;
  /** Why none qualified. */
  none: "NO_LOCATION" | "OUT_OF_RANGE" | "NO_SKILLED_TECHNICIAN" | null;
  /** Keys of the service centers in range, the winner first. */
  candidates: string[];
}

export interface DemoTicket {
  key: string;
  /** Key of the customer who opened it (through the dealer or an agent). */
  customer: string;
  /** Key of the customer's home dealer, whose ticket it is. */
  dealer: string;
  serialNumber: string | null;
  productSku: string | null;
  kind: DemoTicketKind;
  channel: DemoTicketChannel;
  /** The priority it is opened with. */
  openedWith: DemoPriority;
  subject: string;
  description: string | null;
  failureCode: string | null;
  /**
   * Opened after every other ticket and its work: its unit's service
   * contract, from the warranty subgraph's events, has had the longest to
   * reach the tickets subgraph by then.
   */
  late: boolean;
  /** Null when the ticket is not dispatched (no unit, or work that needs no visit). */
  dispatch: DemoDispatch | null;
  steps: DemoTicketStep[];
  /** Where the ticket stands after every step. */
  status: DemoTicketStatus;
  priority: DemoPriority;
  /** Key of the service center working it at the end; null when none. */
  serviceCenter: string | null;
  slaSource: DemoSlaSource;
  pausesOnWaitingParts: boolean;
  /** Whether an agent sent it elsewhere than dispatch chose. */
  overridden: boolean;
  reopened: boolean;
  /** Parts used, with the service center whose shelf they came from. */
  parts: { serviceCenter: string; partSku: string; quantity: number }[];
  /** OUT: a loaner is with the customer; RETURNED: one was lent and came back. */
  loaner: "OUT" | "RETURNED" | null;
  /** What the ticket shows, in a sentence. */
  story: string;
}

/** A customer the tickets part placed out of dispatch's reach. */
export interface DemoCustomerMove {
  customer: string;
  address: DemoAddress;
  location: DemoGeoPoint | null;
  why: string;
}

export interface DemoTickets {
  policies: DemoSlaPolicy[];
  /** In the order they are opened: the `late` ones last. */
  tickets: DemoTicket[];
  /** Applied to the world's customers before they are created. */
  moves: DemoCustomerMove[];
}

interface TicketsWorldPart {
  seed: number;
  today: string;
  dealers: readonly DemoDealer[];
  technicians: readonly DemoTechnician[];
  customers: readonly DemoCustomer[];
  products: readonly DemoProduct[];
  units: readonly DemoUnit[];
  partStocks: readonly DemoPartStock[];
  warranty: DemoWarranty;
}

/** Spreeland pauses the resolution clock while it waits for parts; Hudson promises more and does not. */
const POLICIES: readonly DemoSlaPolicy[] = [
  {
    dealer: "dealer-berlin",
    targets: [
      { priority: "P1", responseMinutes: 30, resolutionMinutes: 360 },
      { priority: "P2", responseMinutes: 120, resolutionMinutes: 960 },
      { priority: "P3", responseMinutes: 480, resolutionMinutes: 2400 },
      { priority: "P4", responseMinutes: 960, resolutionMinutes: 4800 },
    ],
    pausesOnWaitingParts: true,
  },
  {
    dealer: "dealer-newyork",
    targets: [
      { priority: "P1", responseMinutes: 60, resolutionMinutes: 600 },
      { priority: "P2", responseMinutes: 180, resolutionMinutes: 1200 },
      { priority: "P3", responseMinutes: 480, resolutionMinutes: 2880 },
      { priority: "P4", responseMinutes: 1440, resolutionMinutes: 5760 },
    ],
    pausesOnWaitingParts: false,
  },
];

/** Where a ticket's unit comes from. */
type Pool =
  /** A unit the world has in repair: the ticket is about the failure it recorded. */
  | "repairing"
  /** A unit in use (installed or delivered). */
  | "inUse"
  /** A unit sold and not yet delivered (else delivered and not yet installed). */
  | "newlySold"
  /** A unit covered by a service contract today. */
  | "contract"
  /** The customer whose location was never recorded, and their unit. */
  | "unlocated"
  /** The customer who moved out of every service center's radius, and their unit. */
  | "faraway"
  /** No unit. */
  | "none";

/** What happens to the ticket after it is opened. */
type Path =
  | "stayNew"
  | "assigned"
  | "inProgress"
  | "waitingParts"
  | "waitingCustomer"
  | "resolved"
  | "closed"
  | "reopened"
  | "cancelled"
  | "override"
  | "loanerOut"
  | "loanerReturned"
  | "escalated"
  | "answered";

interface Template {
  dealer: string | null;
  kind: DemoTicketKind;
  channel: DemoTicketChannel;
  priority: DemoPriority;
  pool: Pool;
  path: Path;
  /** Records parts taken from the service center's shelf (when the fix replaces one it stocks well). */
  parts?: boolean;
  /** Prefers a business customer. */
  business?: boolean;
}

/** In the order they are opened; the contract tickets come last (see `DemoTicket.late`). */
const TEMPLATES: readonly Template[] = [
  // Berlin: two qualified service centers (Spreeland's own workshop nearby, Isar Service in Munich), so dispatch weighs open work.
  { dealer: "dealer-berlin", kind: "REPAIR", channel: "PHONE", priority: "P2", pool: "repairing", path: "waitingParts" },
  { dealer: "dealer-berlin", kind: "REPAIR", channel: "PORTAL", priority: "P3", pool: "inUse", path: "closed", parts: true },
  { dealer: "dealer-berlin", kind: "INSTALLATION", channel: "DEALER_API", priority: "P4", pool: "newlySold", path: "assigned" },
  { dealer: "dealer-berlin", kind: "REPAIR", channel: "PHONE", priority: "P1", pool: "repairing", path: "override", business: true },
  { dealer: "dealer-berlin", kind: "COMPLAINT", channel: "EMAIL", priority: "P2", pool: "none", path: "stayNew" },
  { dealer: "dealer-berlin", kind: "MAINTENANCE", channel: "FIELD", priority: "P3", pool: "inUse", path: "inProgress" },
  { dealer: "dealer-berlin", kind: "QUESTION", channel: "CHAT", priority: "P4", pool: "none", path: "answered" },
  { dealer: "dealer-berlin", kind: "REPAIR", channel: "EMAIL", priority: "P3", pool: "inUse", path: "waitingCustomer" },
  // London: the dealer only sells; Northern Appliance Repairs in Manchester covers London.
  { dealer: "dealer-london", kind: "REPAIR", channel: "PHONE", priority: "P2", pool: "repairing", path: "resolved", parts: true },
  { dealer: "dealer-london", kind: "REPAIR", channel: "EMAIL", priority: "P3", pool: "inUse", path: "waitingCustomer" },
  { dealer: "dealer-london", kind: "REPAIR", channel: "PORTAL", priority: "P3", pool: "unlocated", path: "stayNew" },
  { dealer: "dealer-london", kind: "INSTALLATION", channel: "PHONE", priority: "P3", pool: "newlySold", path: "cancelled" },
  { dealer: "dealer-london", kind: "REPAIR", channel: "PHONE", priority: "P3", pool: "inUse", path: "reopened" },
  { dealer: "dealer-london", kind: "TRAINING", channel: "CHAT", priority: "P4", pool: "inUse", path: "stayNew", business: true },
  { dealer: "dealer-london", kind: "MAINTENANCE", channel: "PORTAL", priority: "P4", pool: "inUse", path: "assigned" },
  // New York: Hudson repairs itself; Great Lakes in Chicago would reach, but its authorization has ended.
  { dealer: "dealer-newyork", kind: "REPAIR", channel: "DEALER_API", priority: "P1", pool: "repairing", path: "loanerOut" },
  { dealer: "dealer-newyork", kind: "REPAIR", channel: "PHONE", priority: "P2", pool: "inUse", path: "loanerReturned" },
  { dealer: "dealer-newyork", kind: "REPAIR", channel: "EMAIL", priority: "P3", pool: "faraway", path: "stayNew" },
  { dealer: "dealer-newyork", kind: "MAINTENANCE", channel: "PORTAL", priority: "P4", pool: "inUse", path: "assigned" },
  { dealer: "dealer-newyork", kind: "REPAIR", channel: "FIELD", priority: "P3", pool: "repairing", path: "waitingParts" },
  { dealer: "dealer-newyork", kind: "COMPLAINT", channel: "PHONE", priority: "P3", pool: "inUse", path: "escalated" },
  { dealer: "dealer-newyork", kind: "INSTALLATION", channel: "DEALER_API", priority: "P3", pool: "newlySold", path: "inProgress" },
  // Tokyo: the dealer only sells; Kansai Technical Service in Osaka covers Tokyo.
  { dealer: "dealer-tokyo", kind: "REPAIR", channel: "PHONE", priority: "P2", pool: "repairing", path: "closed", parts: true },
  { dealer: "dealer-tokyo", kind: "REPAIR", channel: "PORTAL", priority: "P3", pool: "inUse", path: "assigned" },
  { dealer: "dealer-tokyo", kind: "INSTALLATION", channel: "DEALER_API", priority: "P3", pool: "newlySold", path: "waitingCustomer" },
  { dealer: "dealer-tokyo", kind: "REPAIR", channel: "CHAT", priority: "P1", pool: "repairing", path: "inProgress" },
  { dealer: "dealer-tokyo", kind: "QUESTION", channel: "EMAIL", priority: "P4", pool: "none", path: "stayNew" },
  { dealer: "dealer-tokyo", kind: "RETURN", channel: "PORTAL", priority: "P3", pool: "newlySold", path: "cancelled" },
  { dealer: "dealer-tokyo", kind: "REPAIR", channel: "FIELD", priority: "P2", pool: "inUse", path: "resolved", parts: true },
  // Units under a service contract, wherever they are: the contract's targets apply.
  { dealer: null, kind: "REPAIR", channel: "PHONE", priority: "P2", pool: "contract", path: "inProgress" },
  { dealer: null, kind: "MAINTENANCE", channel: "PORTAL", priority: "P3", pool: "contract", path: "assigned" },
];

/** Where the customer who moved now lives: well beyond Hudson's 40 km, and Chicago is no longer authorized. */
const PHILADELPHIA = {
  address: { street: "2107 Walnut Street", postalCode: "19103", city: "Philadelphia, PA", country: "US" },
  location: { latitude: 39.9506, longitude: -75.1764 },
};

export function ticketsOf(world: TicketsWorldPart): DemoTickets {
  // Its own stream of random numbers: the world's draws stay as they were.
  const random = new Random((world.seed ^ 0x5449_434b) >>> 0);
  const { today } = world;
  const customerOf = new Map(world.customers.map((c) => [c.key, c]));
  const productOf = new Map(world.products.map((p) => [p.sku, p]));
  const policyOf = new Map(POLICIES.map((p) => [p.dealer, p]));

  // Units a contract covers today get the contract's targets; units under any contract stay out of the other tickets.
  const contracted = new Set(world.warranty.contracts.flatMap((c) => c.serialNumbers));
  const coveredToday = new Set(
    world.warranty.contracts
      .filter((c) => c.kind === "AFTER_WARRANTY" && c.startsOn < addDays(today, -1) && c.endsOn > addDays(today, 1))
      .flatMap((c) => c.serialNumbers),
  );

  const live = (u: DemoUnit) => u.owner !== null && (u.status === "INSTALLED" || u.status === "DELIVERED" || u.status === "IN_REPAIR");
  const moves = outOfReach(random, world, contracted, live);
  const moved = new Map(moves.map((m) => [m.customer, m]));
  const placed = (key: string): DemoCustomer => {
    const customer = customerOf.get(key);
    if (!customer) throw new Error(`No demo customer ${key}.`);
    const move = moved.get(key);
    return move ? { ...customer, address: move.address, location: move.location } : customer;
  };

  const taken = new Set<string>();
  const usedSubjects = new Set<string>();
  const ownerDealer = (u: DemoUnit) => (u.owner ? customerOf.get(u.owner)?.homeDealer : undefined);
  const unitsFor = (t: Template): DemoUnit[] => {
    const free = world.units.filter((u) => !taken.has(u.serialNumber) && u.owner !== null && (t.dealer === null || ownerDealer(u) === t.dealer));
    const plain = free.filter((u) => !contracted.has(u.serialNumber) && !moved.has(u.owner ?? ""));
    switch (t.pool) {
      case "repairing": {
        // A dealer with no unit in repair: a unit in use that just broke.
        const repairing = plain.filter((u) => u.status === "IN_REPAIR");
        return repairing.length ? repairing : plain.filter((u) => u.status === "INSTALLED" || u.status === "DELIVERED");
      }
      case "inUse":
        return plain.filter((u) => u.status === "INSTALLED" || u.status === "DELIVERED");
      case "newlySold": {
        const installs = (u: DemoUnit) => t.kind !== "INSTALLATION" || EQUIPMENT[u.productSku]?.setup === "install";
        const sold = plain.filter((u) => u.status === "SOLD" && installs(u));
        return sold.length ? sold : plain.filter((u) => u.status === "DELIVERED" && installs(u));
      }
      case "contract":
        return free.filter((u) => coveredToday.has(u.serialNumber) && live(u) && !moved.has(u.owner ?? ""));
      case "unlocated":
      case "faraway": {
        const move = moves.find((m) => (t.pool === "unlocated") === (m.location === null));
        return free.filter((u) => u.owner === move?.customer && live(u) && !contracted.has(u.serialNumber));
      }
      case "none":
        return [];
    }
  };

  // Dispatch's open work per service center, as the tickets subgraph counts it: open tickets assigned to it. The seed
  // opens the early tickets, then works them, then opens the late ones: so an early ticket counts where dispatch put
  // it for the early openings, and where its work left it for the late ones.
  const tickets: DemoTicket[] = [];
  const openWork = (late: boolean) => {
    const work = new Map<string, number>();
    const add = (center: string | null) => center && work.set(center, (work.get(center) ?? 0) + 1);
    for (const t of tickets) {
      if (late && !t.late) {
        if (OPEN_STATUSES.includes(t.status)) add(t.serviceCenter);
      } else add(t.dispatch?.serviceCenter ?? null);
    }
    return work;
  };
  const loanersLent = new Set<string>();

  for (const template of TEMPLATES) {
    const late = template.pool === "contract";
    // The units (or, for a ticket about none, the customers) to try, best first: a customer's tickets differ in subject.
    let tries: { unit: DemoUnit | null; customer: DemoCustomer }[];
    if (template.pool === "none") {
      const pool = world.customers.filter(
        (c) => c.homeDealer === template.dealer && !moved.has(c.key) && (!template.business || c.kind === "BUSINESS") && !tickets.some((t) => t.customer === c.key),
      );
      tries = random.shuffle(pool).map((c) => ({ unit: null, customer: placed(c.key) }));
    } else {
      const candidates = unitsFor(template);
      const preferred = template.business ? candidates.filter((u) => customerOf.get(u.owner ?? "")?.kind === "BUSINESS") : [];
      let ordered = [...random.shuffle(preferred), ...random.shuffle(candidates.filter((u) => !preferred.includes(u)))];
      if (template.parts) {
        // Units whose fix takes a part the service center has plenty of first; else units in use (the customer calls about a new fault).
        const fits = (u: DemoUnit) => partsPlan(world, u, placed(u.owner!), openWork(late)) !== null;
        const inUse = template.pool === "inUse" ? [] : random.shuffle(unitsFor({ ...template, pool: "inUse" })).filter(fits);
        ordered = [...ordered.filter(fits), ...inUse, ...ordered.filter((u) => !fits(u))];
      }
      tries = ordered.map((u) => ({ unit: u, customer: placed(u.owner!) }));
    }
    let chosen;
    for (const { unit, customer } of tries) {
      const product = unit ? productOf.get(unit.productSku) : undefined;
      const dispatch = unit && needsVisit(template.kind, unit.serialNumber) ? dispatchOf(world, customer, product?.category ?? "", openWork(late)) : null;
      const failure = unit ? failureFor(random, unit, template, world, dispatch?.serviceCenter ?? null) : null;
      const owned = world.units.filter((u) => u.owner === customer.key && u.status !== "RETIRED").map((u) => u.productSku);
      const texts = textsOf(random, template, customer, unit, failure, owned);
      if (usedSubjects.has(`${customer.key} ${texts.subject}`)) continue;
      chosen = { unit, customer, product, dispatch, failure, texts };
      break;
    }
    if (!chosen) continue;
    const { unit, customer, product, dispatch, failure, texts } = chosen;
    usedSubjects.add(`${customer.key} ${texts.subject}`);
    if (unit) taken.add(unit.serialNumber);

    const policy = policyOf.get(customer.homeDealer) ?? null;
    const ticket: DemoTicket = {
      key: `ticket-${String(tickets.length + 1).padStart(2, "0")}`,
      customer: customer.key,
      dealer: customer.homeDealer,
      serialNumber: unit?.serialNumber ?? null,
      productSku: unit?.productSku ?? null,
      kind: template.kind,
      channel: template.channel,
      openedWith: template.priority,
      subject: texts.subject,
      description: texts.description,
      failureCode: template.kind === "REPAIR" ? (failure?.code ?? null) : null,
      late,
      dispatch,
      steps: [],
      status: dispatch?.serviceCenter ? "ASSIGNED" : "NEW",
      priority: template.priority,
      serviceCenter: dispatch?.serviceCenter ?? null,
      slaSource: unit && coveredToday.has(unit.serialNumber) ? "CONTRACT" : policy ? "DEALER_POLICY" : "STANDARD",
      pausesOnWaitingParts: policy?.pausesOnWaitingParts ?? false,
      overridden: false,
      reopened: false,
      parts: [],
      loaner: null,
      story: "",
    };
    workOn(ticket, template, { world, random, customer, unit, product, failure, loanersLent });
    tickets.push(ticket);
  }
  return { policies: POLICIES.map((p) => ({ ...p, targets: p.targets.map((t) => ({ ...t })) })), tickets, moves };
}

// ---------------------------------------------------------------------------
// Customers out of reach

/**
 * A London customer whose location was never recorded (the shop took the
 * address on paper), and a New York customer who moved to Philadelphia and
 * kept their dealer: each owns a unit in use, and no service contract.
 */
function outOfReach(
  random: Random,
  world: TicketsWorldPart,
  contracted: ReadonlySet<string>,
  live: (u: DemoUnit) => boolean,
): DemoCustomerMove[] {
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
    moves.push({ customer: customer.key, address: customer.address, location: null, why: "Signed up in the shop on paper; the address was never placed on the map." });
  }
  const movedAway = owners("dealer-newyork");
  if (movedAway.length) {
    const customer = random.pick(movedAway);
    moves.push({ customer: customer.key, ...PHILADELPHIA, why: "Moved to Philadelphia and kept Hudson as their dealer." });
  }
  return moves;
}

// ---------------------------------------------------------------------------
// Dispatch

const round2 = (degrees: number) => Math.round(degrees * 100) / 100;

/**
 * The tickets subgraph's own rule (`decideDispatch`) over the world's
 * service centers authorized as warranty workshops today (the subgraph's
 * query does this part) and the customer's area (partners rounds the
 * location to two decimals).
 */
function dispatchOf(world: TicketsWorldPart, customer: DemoCustomer, category: string, openWork: ReadonlyMap<string, number>): DemoDispatch {
  const area = customer.location ? { latitude: round2(customer.location.latitude), longitude: round2(customer.location.longitude) } : null;
  const authorized = (d: DemoDealer) =>
    d.kind !== "DEALER" &&
    d.serviceRadiusKm > 0 &&
    d.warrantyWorkshop !== null &&
    d.warrantyWorkshop.authorizedFrom <= world.today &&
    (d.warrantyWorkshop.authorizedUntil === null || d.warrantyWorkshop.authorizedUntil >= world.today);
  const decision = decideDispatch({
    area,
    category,
    centers: world.dealers.filter(authorized).map((d) => ({ id: d.key, name: d.key, serviceRadiusKm: d.serviceRadiusKm, ...d.location })),
    technicians: world.technicians.map((t) => ({ id: t.key, serviceCenterId: t.serviceCenter, skills: t.skills, active: t.active })),
    openTicketsByCenter: openWork,
    openTicketsByTechnician: new Map(),
    at: new Date(0),
    actor: "demo",
  });
  const candidates = decision.candidates.map((c) => c.serviceCenterId);
  if (decision.serviceCenterId) return { serviceCenter: decision.serviceCenterId, none: null, candidates };
  const none = !area ? "NO_LOCATION" : candidates.length === 0 ? "OUT_OF_RANGE" : "NO_SKILLED_TECHNICIAN";
  return { serviceCenter: null, none, candidates };
}

// ---------------------------------------------------------------------------
// Failures and parts

const productTemplate = (sku: string) => PRODUCTS.find((p) => p.sku === sku);
const partName = (sku: string) => productTemplate(sku)?.name ?? sku;

/** The failure the world recorded for a unit in repair. */
function recordedFailure(unit: DemoUnit): FailureMode | undefined {
  if (unit.status !== "IN_REPAIR") return undefined;
  const started = [...unit.events].reverse().find((e) => e.kind === "REPAIR_STARTED");
  const code = started && "failureCode" in started ? started.failureCode : undefined;
  return productTemplate(unit.productSku)?.failureModes?.find((m) => m.code === code);
}

/** The failure a ticket is about: the one the world recorded for a unit in repair, else one of the product's. */
function failureFor(random: Random, unit: DemoUnit, template: Template, world: TicketsWorldPart, center: string | null): FailureMode | null {
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

const quantityOf = (sku: string, partSku: string) => productTemplate(sku)?.billOfMaterials?.find((line) => line.partSku === partSku)?.quantity ?? 1;

/**
 * Whether a service center's shelf holds the part with room to spare: taking
 * `quantity` leaves it above its reorder point, and it was not overstocked,
 * so the demo's shortages and overstock stay what the world says.
 */
function safeStock(world: TicketsWorldPart, center: string, partSku: string, quantity: number): boolean {
  const stock = world.partStocks.find((s) => s.serviceCenter === center && s.partSku === partSku);
  return stock !== undefined && !stock.overstock && stock.finalOnHand - quantity > stock.reorderPoint;
}

/** The center dispatch would choose for a repair of `unit`, and a failure whose part that center stocks well; null when there is none. */
function partsPlan(world: TicketsWorldPart, unit: DemoUnit, customer: DemoCustomer, openWork: ReadonlyMap<string, number>) {
  const category = world.products.find((p) => p.sku === unit.productSku)?.category ?? "";
  const center = dispatchOf(world, customer, category, openWork).serviceCenter;
  if (!center) return null;
  const recorded = recordedFailure(unit);
  const modes = recorded ? [recorded] : (productTemplate(unit.productSku)?.failureModes ?? []);
  const fit = modes.find((m) => m.partSku && safeStock(world, center, m.partSku, quantityOf(unit.productSku, m.partSku)));
  return fit ? { center, failure: fit } : null;
}

// ---------------------------------------------------------------------------
// Texts

const MAINTENANCE: Readonly<Record<string, string>> = {
  "espresso-machines": "Maintenance: descaling, brew group service and pressure check",
  dishwashers: "Maintenance: filters, spray arms and door seal check",
  printers: "Maintenance: cleaning, pickup rollers and firmware update",
  tablets: "Maintenance: battery health check and OS update",
  "child-car-seats": "Maintenance: harness and ISOFIX check",
};

/** Questions customers ask about what they own, by category. */
const QUESTIONS: Readonly<Record<string, { subject: string; description: string; answer: string }>> = {
  "espresso-machines": {
    subject: "Which descaler for the Barista Pro, and how often?",
    description: "The machine asks for descaling every few weeks. Is that normal with our water?",
    answer: "Explained the water-hardness setting and sent the descaling guide; recommended the 500 ml descaling liquid every two months.",
  },
  dishwashers: {
    subject: "Can the dishwasher run on the eco program overnight?",
    description: "We would like to use the cheaper night tariff.",
    answer: "Showed the delayed start (up to 24 h) in the manual; the eco program runs 3 h 40 min.",
  },
  printers: {
    subject: "Which toner cartridge fits my printer?",
    description: "The old cartridge is nearly empty; which one should I order?",
    answer: "The TN-500 (3,000 pages) fits the PrintLine 500; sent the order link.",
  },
  tablets: {
    subject: "How do I back up the tablet before the OS update?",
    description: "We do not want to lose the photos and the shop's forms.",
    answer: "Walked the customer through the backup in the settings; the update keeps the data anyway.",
  },
  "child-car-seats": {
    subject: "Does the SafeRide fit a 2015 estate car with ISOFIX?",
    description: "We are changing cars next month.",
    answer: "Checked the vehicle list: it fits with the ISOFIX base; sent the fitting video.",
  },
};

const COMPLAINTS: readonly { subject: string; description: string; note: string }[] = [
  {
    subject: "Technician arrived two hours late, without calling",
    description: "We waited all morning and nobody told us the visit was delayed.",
    note: "Called the customer back and apologised; the service manager will go through the visit with the workshop.",
  },
  {
    subject: "Invoice shows a travel charge we were told was included",
    description: "The repair was quoted without travel costs.",
    note: "Asked accounting to check the quote against the invoice; customer will hear back this week.",
  },
];

/** A question about something the customer owns. */
function questionFor(random: Random, customer: DemoCustomer, owned: readonly string[]) {
  const categories = [...new Set(owned.map((sku) => productTemplate(sku)?.category ?? ""))].filter((c) => QUESTIONS[c]).sort();
  return QUESTIONS[categories.length ? random.pick(categories) : "espresso-machines"]!;
}

function textsOf(
  random: Random,
  t: Template,
  customer: DemoCustomer,
  unit: DemoUnit | null,
  failure: FailureMode | null,
  owned: readonly string[],
): { subject: string; description: string | null } {
  const name = unit ? (productTemplate(unit.productSku)?.name ?? unit.productSku) : "";
  const business = customer.kind === "BUSINESS";
  switch (t.kind) {
    case "REPAIR":
      return {
        subject: failure ? `${name}: ${failure.symptom}` : `${name} needs a repair`,
        description: failure
          ? `${business ? (customer.companyName ?? customer.name) : "The customer"} reports: ${failure.symptom}.${t.priority === "P1" ? " The machine is needed every day; please come as soon as possible." : ""}`
          : null,
      };
    case "INSTALLATION":
      return { subject: `Install and commission the new ${name}`, description: business ? "Please install during opening hours; ask for the manager on arrival." : "The customer is at home on weekday mornings." };
    case "MAINTENANCE":
      return {
        subject: MAINTENANCE[productTemplate(unit?.productSku ?? "")?.category ?? ""] ?? `Maintenance of the ${name}`,
        description: "Yearly check the customer asked for.",
      };
    case "COMPLAINT":
      if (unit) return { subject: `${name} still faulty after the last repair`, description: "Third call about the same machine; the customer is losing patience." };
      return (({ subject, description }) => ({ subject, description }))(random.pick(COMPLAINTS));
    case "QUESTION": {
      const { subject, description } = questionFor(random, customer, owned);
      return { subject, description };
    }
    case "TRAINING":
      return { subject: `Staff training on the ${name}`, description: business ? "New staff started this month; please show daily use and cleaning." : "The owner asks for a walkthrough." };
    case "RETURN":
      return { subject: `Return of the ${name} within the cancellation period`, description: "Bought online; the customer says it does not fit the space they had planned." };
  }
}

// ---------------------------------------------------------------------------
// Work on a ticket

interface WorkContext {
  world: TicketsWorldPart;
  random: Random;
  customer: DemoCustomer;
  unit: DemoUnit | null;
  product: DemoProduct | undefined;
  failure: FailureMode | null;
  loanersLent: Set<string>;
}

/** Adds the steps of `template.path` to a freshly opened ticket, and where they leave it. */
function workOn(ticket: DemoTicket, template: Template, context: WorkContext): void {
  const { world, random, customer, unit, product, failure } = context;
  const category = product?.category ?? "";
  const centerName = (key: string | null) => world.dealers.find((d) => d.key === key)?.name ?? key ?? "";
  const step = (s: DemoTicketStep) => {
    ticket.steps.push(s);
    if (s.kind === "STATUS") {
      if (ticket.status === "RESOLVED" && s.status === "IN_PROGRESS") ticket.reopened = true;
      ticket.status = s.status;
    } else if (s.kind === "ASSIGN") {
      ticket.serviceCenter = s.serviceCenter;
      if (ticket.status === "NEW") ticket.status = "ASSIGNED";
    } else if (s.kind === "PRIORITY") ticket.priority = s.priority;
    else if (s.kind === "PARTS") ticket.parts.push(...s.parts.map((p) => ({ ...p, serviceCenter: s.serviceCenter })));
    else if (s.kind === "LEND") ticket.loaner = "OUT";
    else if (s.kind === "RETURN_LOANER") ticket.loaner = "RETURNED";
  };
  const status = (to: DemoTicketStatus, note: string | null = null, resolution: string | null = null) => step({ kind: "STATUS", status: to, note, resolution });
  const skilledAt = (center: string) =>
    world.technicians.filter((t) => t.serviceCenter === center && t.active && (category === "" || t.skills.includes(category))).sort((a, b) => a.key.localeCompare(b.key))[0]?.key ?? null;
  const fix = failure?.fix ?? (ticket.kind === "MAINTENANCE" ? "Serviced; every check passed." : "Done as asked.");
  const start = () => status("IN_PROGRESS", ticket.openedWith === "P1" ? "Technician on the way; arrival within two hours." : "Visit booked with the customer.");
  const partsUsed = () => {
    const center = ticket.serviceCenter;
    const partSku = failure?.partSku;
    if (!center || !partSku || !unit) return;
    const quantity = quantityOf(unit.productSku, partSku);
    if (!safeStock(world, center, partSku, quantity)) return;
    step({ kind: "PARTS", serviceCenter: center, parts: [{ partSku, quantity }], note: `${partName(partSku)} taken from the workshop's shelf.` });
  };

  let path = template.path;
  // Work needs a service center; a ticket dispatch could not place stays NEW (the stories aim at that only for the customers out of reach).
  const needsCenter: readonly Path[] = ["assigned", "inProgress", "waitingParts", "waitingCustomer", "resolved", "closed", "reopened", "override", "loanerOut", "loanerReturned"];
  if (needsCenter.includes(path) && !ticket.serviceCenter) path = "stayNew";

  switch (path) {
    case "stayNew":
      if (ticket.dispatch && !ticket.dispatch.serviceCenter) {
        ticket.story = `Dispatch found no service center (${ticket.dispatch.none === "NO_LOCATION" ? "the customer has no location" : ticket.dispatch.none === "OUT_OF_RANGE" ? "no authorized service center's radius covers the customer" : "no skilled technician"}); it waits for an agent.`;
      } else if (ticket.kind === "COMPLAINT") {
        const complaint = COMPLAINTS.find((c) => c.subject === ticket.subject);
        step({ kind: "NOTE", note: complaint?.note ?? "Called the customer back." });
        ticket.story = "A complaint with no unit: nothing to dispatch; an agent called back.";
      } else {
        ticket.story = `A ${ticket.kind.toLowerCase()} that needs no visit, waiting for an agent.`;
      }
      return;
    case "assigned":
      ticket.story = `Dispatched to ${centerName(ticket.serviceCenter)}, not started yet.`;
      return;
    case "inProgress":
      start();
      if (ticket.openedWith === "P1") step({ kind: "NOTE", note: "Remote diagnosis by phone: the fault is confirmed; the technician brings the likely parts." });
      ticket.story = `Being worked by ${centerName(ticket.serviceCenter).replace(/\.$/, "")}.`;
      return;
    case "waitingParts":
      start();
      status("WAITING_PARTS", failure?.partSku ? `${partName(failure.partSku)} ordered from the central warehouse; expected in three days.` : "Spare part ordered from the central warehouse.");
      ticket.story = `Waiting for parts; the resolution clock ${ticket.pausesOnWaitingParts ? "pauses (the dealer's policy says so)" : "keeps running (the dealer's policy does not pause it)"}.`;
      return;
    case "waitingCustomer":
      start();
      status(
        "WAITING_CUSTOMER",
        ticket.kind !== "INSTALLATION"
          ? "Asked the customer for photos of the fault and a date when someone is at home."
          : category === "espresso-machines" || category === "dishwashers"
            ? "Waiting for the customer to confirm the water and power connections are ready."
            : "Waiting for the customer to name a day for the installation.",
      );
      ticket.story = "Waiting for the customer; the resolution clock pauses.";
      return;
    case "resolved":
    case "closed":
      start();
      if (template.parts) partsUsed();
      status("RESOLVED", null, fix);
      if (path === "closed") status("CLOSED", "Customer confirmed everything works.");
      ticket.story = `${path === "closed" ? "Resolved and closed" : "Resolved, not yet closed"}${ticket.parts.length ? ", with parts from the service center's shelf" : ""}.`;
      return;
    case "reopened":
      start();
      status("RESOLVED", null, fix);
      status("IN_PROGRESS", "The fault came back the same evening; the customer called again.");
      step({ kind: "PRIORITY", priority: "P2", reason: "Second visit for the same fault: the customer has been without the machine twice." });
      ticket.story = "Resolved, then reopened when the fault came back, and its priority raised.";
      return;
    case "cancelled":
      status(
        "CANCELLED",
        ticket.kind === "RETURN" ? "The customer decided to keep it after the store suggested another place for it." : "The customer postponed the kitchen renovation and will call again.",
      );
      ticket.story = `Cancelled ${ticket.serviceCenter ? "after dispatch" : "before anyone worked it"}.`;
      return;
    case "override": {
      const chosen = ticket.dispatch?.serviceCenter ?? null;
      const other = ticket.dispatch?.candidates.find((c) => c !== chosen && skilledAt(c) !== null);
      if (!other) {
        start();
        ticket.story = `Being worked by ${centerName(ticket.serviceCenter).replace(/\.$/, "")}.`;
        return;
      }
      const near = world.dealers.find((d) => d.key === other)?.kind === "BOTH";
      const reason = near
        ? `${customer.companyName ?? "The customer"} cannot be without the machine for long: ${centerName(other)}'s workshop is in town, ${centerName(chosen)} would drive in from far away.`
        : `${centerName(chosen)}'s technician for this is on leave this week; ${centerName(other)} has one free tomorrow.`;
      step({ kind: "ASSIGN", serviceCenter: other, technician: skilledAt(other), reason, note: null });
      ticket.overridden = true;
      start();
      ticket.story = `Dispatch chose ${centerName(chosen)} (less open work); an agent sent it to ${centerName(other)} instead, saying why.`;
      return;
    }
    case "loanerOut":
    case "loanerReturned": {
      const loaner = loanerFor(random, world, ticket, unit, context.loanersLent);
      start();
      if (!loaner) {
        ticket.story = `Being worked by ${centerName(ticket.serviceCenter).replace(/\.$/, "")}.`;
        return;
      }
      context.loanersLent.add(loaner);
      step({ kind: "LEND", serialNumber: loaner, note: "Loaner handed over while the customer's unit is in the workshop." });
      if (path === "loanerReturned") {
        status("RESOLVED", null, fix);
        step({ kind: "RETURN_LOANER", note: "Loaner back, checked and cleaned." });
        status("CLOSED", "Customer has their own unit back.");
        ticket.story = "Repaired while the customer had a loaner; the loaner came back and the ticket was closed.";
      } else {
        ticket.story = "In the workshop; the customer has a loaner meanwhile.";
      }
      return;
    }
    case "escalated": {
      step({ kind: "PRIORITY", priority: "P2", reason: "The customer's third call about this machine; the store manager asked for a call back today." });
      const own = world.dealers.find((d) => d.key === ticket.dealer && d.kind === "BOTH");
      if (own) {
        step({ kind: "ASSIGN", serviceCenter: own.key, technician: skilledAt(own.key), reason: null, note: "Our own workshop takes this one." });
        start();
      }
      step({ kind: "NOTE", note: "Service manager called the customer back and promised a senior technician." });
      ticket.story = "A complaint about a unit, its priority raised and handed to the dealer's own workshop.";
      return;
    }
    case "answered": {
      const own = world.dealers.find((d) => d.key === ticket.dealer && d.kind === "BOTH");
      const question = Object.values(QUESTIONS).find((q) => q.subject === ticket.subject);
      if (!own) return;
      step({ kind: "ASSIGN", serviceCenter: own.key, technician: null, reason: null, note: null });
      status("IN_PROGRESS");
      status("RESOLVED", null, question?.answer ?? "Answered.");
      status("CLOSED", "Customer thanked us in the chat.");
      ticket.story = "A question answered by the dealer's workshop and closed.";
      return;
    }
  }
}

/** A unit on the shelf of the ticket's dealer (or service center) to lend: the same product if there is one. */
function loanerFor(random: Random, world: TicketsWorldPart, ticket: DemoTicket, unit: DemoUnit | null, lent: ReadonlySet<string>): string | null {
  const shelf = world.units.filter(
    (u) => u.status === "IN_STOCK" && u.owner === null && (u.dealer === ticket.dealer || u.dealer === ticket.serviceCenter) && !lent.has(u.serialNumber),
  );
  const same = shelf.filter((u) => u.productSku === unit?.productSku);
  const pool = same.length ? same : shelf;
  return pool.length ? random.pick(pool).serialNumber : null;
}
