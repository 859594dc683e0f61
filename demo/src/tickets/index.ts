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
import { needsVisit, OPEN_STATUSES } from "@aftersales/tickets/domain";
import { EQUIPMENT } from "../data.js";
import { Random } from "../random.js";
import type { DemoCustomer, DemoUnit } from "../world.js";
import { dispatchOf } from "./dispatch.js";
import { outOfReach } from "./moves.js";
import { failureFor, partsPlan } from "./parts.js";
import { POLICIES } from "./policies.js";
import { TEMPLATES, type Template } from "./templates.js";
import { textsOf } from "./texts.js";
import type { DemoTicket, DemoTickets, TicketsWorldPart } from "./types.js";
import { workOn } from "./work.js";

export * from "./types.js";

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
        (c) =>
          c.homeDealer === template.dealer && !moved.has(c.key) && (!template.business || c.kind === "BUSINESS") && !tickets.some((t) => t.customer === c.key),
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
    // biome-ignore lint/suspicious/noImplicitAnyLet: TypeScript types it from its one assignment in the loop (control-flow typing).
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
