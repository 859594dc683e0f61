/** What the seed wrote, counted, and real ids and names to try queries with. */
import type { DemoFeedbackCounts, DemoFeedbackResult } from "../feedback.js";
import type { DemoHistory } from "../history.js";
import type { DemoRelationshipHistory } from "../relationships.js";
import { DEMO_SLA_SOURCES, DEMO_TICKET_STATUSES, type DemoSlaSource, type DemoTicket, type DemoTicketStatus } from "../tickets/index.js";
import { DEMO_CLAIM_STATUSES, type DemoClaimStatus } from "../warranty.js";
import { UNIT_STATUSES, type DemoDealer, type DemoUnit, type DemoWorld, type ProductKind, type UnitStatus } from "../world.js";
import type { BatchClient } from "./client.js";
import { claim, contract, customer, dealer, product, ticket, type RefKey } from "./operations.js";

export interface DemoSummary {
  seed: number;
  today: string;
  /** How long seeding took, in milliseconds. */
  durationMs: number;
  requests: number;
  mutations: number;
  counts: {
    dealers: number;
    serviceCenters: number;
    technicians: number;
    customers: number;
    products: Record<ProductKind, number>;
    units: number;
    unitsByStatus: Record<UnitStatus, number>;
    unitEvents: number;
    transfers: number;
    consumablePurchases: number;
    forecasts: { total: number; customerHistory: number; productCycle: number; dueWithin7Days: number; overdue: number };
    partStocks: number;
    shortages: number;
    overstocks: number;
    warranty: {
      /** One per equipment product. */
      policies: number;
      contractPlans: number;
      serviceContracts: number;
      /** Units under those contracts. */
      contractedUnits: number;
      maintenanceVisits: { total: number; planned: number; missed: number };
      claims: { total: number } & Record<DemoClaimStatus, number>;
      /** Sold units whose warranty ends within the next 60 days and that no contract follows. */
      expiringWithin60Days: number;
    };
    tickets: {
      /** Dealers with SLA policies of their own (the others keep the standard targets). */
      slaPolicies: number;
      total: number;
      byStatus: Record<DemoTicketStatus, number>;
      /** Where their SLA targets come from. */
      bySlaSource: Record<DemoSlaSource, number>;
      /** Dispatch chose a service center when the ticket was opened. */
      dispatched: number;
      /** Dispatch found no service center (no location, out of range); they wait for an agent. */
      notDispatched: number;
      /** Sent elsewhere than dispatch chose, with the reason. */
      overridden: number;
      /** Resolved, then reopened. */
      reopened: number;
      priorityChanges: number;
      withParts: number;
      loanersOut: number;
      loanersReturned: number;
    };
    /** Survey answers the seed gave, surveys it left open, and feedback given outside surveys. */
    feedback: DemoFeedbackCounts;
    /**
     * The past before the current month (see `history.ts` and `relationships.ts`): tickets imported with their
     * lifecycle, and their CSAT answers; NPS rounds and post-sale answers; outreach contacts with their outcomes.
     */
    history: {
      from: string;
      to: string;
      tickets: number;
      reopened: number;
      csatAnswers: number;
      npsAnswers: number;
      postSaleAnswers: number;
      outreachContacts: number;
      outreachConverted: number;
    };
  };
  /** Real ids and names to try queries with. */
  handles: {
    dealer: { id: string; name: string };
    serviceCenter: { id: string; name: string };
    /** A customer with a refill due within a week. */
    customer: { id: string; name: string };
    /** An installed unit with a story: repaired (and transferred) where there is one. */
    serialNumber: string;
    discontinuedProduct: { id: string; sku: string; successorSku: string };
    warranty: {
      /** A unit a service contract covers today (its warranty has ended), and the contract's number. */
      contract: { serialNumber: string; number: string } | null;
      /** A claim waiting for an agent: a travel line no rule prices. */
      claimInReview: { number: string; serialNumber: string } | null;
      /** A dealer with sold units whose warranty ends within 60 days. */
      expiringDealer: { id: string; name: string } | null;
    };
    /** Ticket numbers: one with a loaner out, one an agent sent elsewhere than dispatch chose, one dispatch could not place. */
    tickets: { loanerOut: string | null; overridden: string | null; notDispatched: string | null };
    /** An open survey's link, a path on the gateway (`/surveys/<token>`): the survey page to try; a CSAT survey's where there is one. */
    surveyLink: string | null;
  };
}

export const countEvents = (units: readonly DemoUnit[]) => units.reduce((sum, unit) => sum + unit.events.length, 0);
const countBy = <T>(items: readonly T[], key: (item: T) => string) =>
  items.reduce((counts, item) => counts.set(key(item), (counts.get(key(item)) ?? 0) + 1), new Map<string, number>());

export function summarize(
  world: DemoWorld,
  history: DemoHistory,
  past: DemoRelationshipHistory,
  client: BatchClient,
  feedback: DemoFeedbackResult,
  durationMs: number,
): DemoSummary {
  const { refs } = client;
  const count = <T>(items: readonly T[], test: (item: T) => boolean) => items.filter(test).length;
  const products = { EQUIPMENT: 0, CONSUMABLE: 0, SPARE_PART: 0, ACCESSORY: 0 } satisfies Record<ProductKind, number>;
  for (const p of world.products) products[p.kind]++;
  const unitsByStatus = Object.fromEntries(UNIT_STATUSES.map((status) => [status, 0])) as Record<UnitStatus, number>;
  for (const unit of world.units) unitsByStatus[unit.status]++;

  const firstDealer = world.dealers.find((d) => d.kind !== "SERVICE_CENTER");
  const firstCenter = world.dealers.find((d) => d.kind === "SERVICE_CENTER");
  if (!firstDealer || !firstCenter) throw new Error("The demo world has no dealer or no service center.");
  const dueSoon = world.forecasts.find((f) => f.daysLeft >= 0 && f.daysLeft <= 7 && f.method === "CUSTOMER_HISTORY") ?? world.forecasts[0];
  const dueCustomer = world.customers.find((c) => c.key === dueSoon?.customer) ?? world.customers[0];
  if (!dueCustomer) throw new Error("The demo world has no customers.");
  const installed = world.units.filter((unit) => unit.status === "INSTALLED");
  const storied =
    installed.find((u) => u.events.some((e) => e.kind === "REPAIRED") && u.events.some((e) => e.kind === "TRANSFERRED")) ??
    installed.find((u) => u.events.some((e) => e.kind === "REPAIRED")) ??
    installed[0] ??
    world.units[0];
  if (!storied) throw new Error("The demo world has no units.");
  const discontinued = world.discontinuations[0];
  if (!discontinued) throw new Error("The demo world discontinues nothing.");

  const { warranty } = world;
  const visits = warranty.contracts.flatMap((c) => c.visits);
  const claims = {
    total: warranty.claims.length,
    ...Object.fromEntries(DEMO_CLAIM_STATUSES.map((status) => [status, 0])),
  } as DemoSummary["counts"]["warranty"]["claims"];
  for (const c of warranty.claims) claims[c.status]++;
  // A contract that covers today: one made after the warranty ended.
  const covering = warranty.contracts.find((c) => c.kind === "AFTER_WARRANTY");
  const inReview = warranty.claims.find((c) => c.status === "IN_REVIEW");
  const expiringBy = countBy(warranty.expiring, (e) => e.dealer);
  const expiringDealer = world.dealers.reduce<DemoDealer | undefined>(
    (best, d) => ((expiringBy.get(d.key) ?? 0) > (best ? (expiringBy.get(best.key) ?? 0) : 0) ? d : best),
    undefined,
  );
  const numberOf = (key: RefKey) => String(refs.get(key).also?.["number"] ?? "");

  const tickets = world.tickets.tickets;
  const byStatus = Object.fromEntries(DEMO_TICKET_STATUSES.map((status) => [status, count(tickets, (t) => t.status === status)])) as Record<
    DemoTicketStatus,
    number
  >;
  const bySlaSource = Object.fromEntries(DEMO_SLA_SOURCES.map((source) => [source, count(tickets, (t) => t.slaSource === source)])) as Record<
    DemoSlaSource,
    number
  >;
  const ticketNumber = (test: (t: DemoTicket) => boolean) => {
    const found = tickets.find(test);
    return found ? numberOf(ticket(found.key)) : null;
  };

  return {
    seed: world.seed,
    today: world.today,
    durationMs,
    requests: client.requests,
    mutations: client.mutations,
    counts: {
      dealers: count(world.dealers, (d) => d.kind !== "SERVICE_CENTER"),
      serviceCenters: count(world.dealers, (d) => d.kind === "SERVICE_CENTER"),
      technicians: world.technicians.length,
      customers: world.customers.length,
      products,
      units: world.units.length,
      unitsByStatus,
      unitEvents: countEvents(world.units),
      transfers: count(world.units, (u) => u.events.some((e) => e.kind === "TRANSFERRED")),
      consumablePurchases: world.purchases.length,
      forecasts: {
        total: world.forecasts.length,
        customerHistory: count(world.forecasts, (f) => f.method === "CUSTOMER_HISTORY"),
        productCycle: count(world.forecasts, (f) => f.method === "PRODUCT_CYCLE"),
        dueWithin7Days: count(world.forecasts, (f) => f.daysLeft >= 0 && f.daysLeft <= 7),
        overdue: count(world.forecasts, (f) => f.daysLeft < 0),
      },
      partStocks: world.partStocks.length,
      shortages: count(world.partStocks, (s) => s.shortage),
      overstocks: count(world.partStocks, (s) => s.overstock),
      warranty: {
        policies: warranty.policies.length,
        contractPlans: warranty.plans.length,
        serviceContracts: warranty.contracts.length,
        contractedUnits: warranty.contracts.reduce((sum, c) => sum + c.serialNumbers.length, 0),
        maintenanceVisits: { total: visits.length, planned: count(visits, (v) => v.status === "PLANNED"), missed: count(visits, (v) => v.status === "MISSED") },
        claims,
        expiringWithin60Days: warranty.expiring.length,
      },
      tickets: {
        slaPolicies: world.tickets.policies.length,
        total: tickets.length,
        byStatus,
        bySlaSource,
        dispatched: count(tickets, (t) => t.dispatch?.serviceCenter != null),
        notDispatched: count(tickets, (t) => t.dispatch !== null && t.dispatch.serviceCenter === null),
        overridden: count(tickets, (t) => t.overridden),
        reopened: count(tickets, (t) => t.reopened),
        priorityChanges: count(tickets, (t) => t.steps.some((step) => step.kind === "PRIORITY")),
        withParts: count(tickets, (t) => t.parts.length > 0),
        loanersOut: count(tickets, (t) => t.loaner === "OUT"),
        loanersReturned: count(tickets, (t) => t.loaner === "RETURNED"),
      },
      feedback: feedback.counts,
      history: {
        from: history.from,
        to: history.to,
        tickets: history.tickets.length,
        reopened: count(history.tickets, (t) => t.reopened),
        csatAnswers: count(history.tickets, (t) => t.csat !== null),
        npsAnswers: past.npsRounds.length,
        postSaleAnswers: past.postSale.length,
        outreachContacts: past.contacts.length,
        outreachConverted: count(past.contacts, (c) => c.outcome === "CONVERTED"),
      },
    },
    handles: {
      dealer: { id: refs.id(dealer(firstDealer.key)), name: firstDealer.name },
      serviceCenter: { id: refs.id(dealer(firstCenter.key)), name: firstCenter.name },
      customer: { id: refs.id(customer(dueCustomer.key)), name: dueCustomer.companyName ?? dueCustomer.name },
      serialNumber: storied.serialNumber,
      discontinuedProduct: { id: refs.id(product(discontinued.sku)), sku: discontinued.sku, successorSku: discontinued.successorSku },
      warranty: {
        contract: covering?.serialNumbers[0] ? { serialNumber: covering.serialNumbers[0], number: numberOf(contract(covering.key)) } : null,
        claimInReview: inReview ? { number: numberOf(claim(inReview.key)), serialNumber: inReview.serialNumber } : null,
        expiringDealer: expiringDealer ? { id: refs.id(dealer(expiringDealer.key)), name: expiringDealer.name } : null,
      },
      tickets: {
        loanerOut: ticketNumber((t) => t.loaner === "OUT"),
        overridden: ticketNumber((t) => t.overridden),
        notDispatched: ticketNumber((t) => t.dispatch !== null && t.dispatch.serviceCenter === null),
      },
      surveyLink: feedback.surveyLink,
    },
  };
}
