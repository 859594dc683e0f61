/**
 * The demo's past: eighteen months of service tickets before the current
 * one, each with its lifecycle (started, waiting for parts, resolved,
 * reopened, closed) at its own times, and the CSAT answers customers gave
 * about them. The seed brings it in the way a dealer migrating from a
 * previous system would (`importTickets`, `importSurveyAnswers`), so the
 * insights show trends rather than one month with one bar:
 *
 * - time to resolution improves month by month (the dealers got better),
 *   and satisfaction with it;
 * - winter brings more tickets than summer (a seasonal bump);
 * - one product has a failure spike: pump failures of the newer espresso
 *   machine some nine to seven months ago, waiting for parts;
 * - some fixes do not hold (reopened within days), some repairs come back
 *   within weeks (repeat repairs), and slow ones breach their SLA, as the
 *   tickets subgraph works out from the dealers' policies.
 *
 * Like the rest of the world it is a pure function of the seed and `today`:
 * every instant is placed relative to today, on its own random stream.
 */
import { addDays, addMonthsClamped } from "@aftersales/kit";
import type { Priority, TicketChannel, TicketStatus } from "@aftersales/tickets/domain";
import { productTemplate } from "./tickets/parts.js";
import { Random } from "./random.js";
import type { DemoCustomer, DemoDealer, DemoUnit, DemoWorld } from "./world.js";

/** Calendar months of history before the current one. */
export const HISTORY_MONTHS = 18;

/** The product and failure of the spike, and how many months ago it ran (from, to). */
export const FAILURE_SPIKE = { productSku: "ESP-300", monthsAgo: [9, 7] as const };

export interface DemoHistoryStep {
  status: TicketStatus;
  /** ISO-8601 UTC. */
  at: string;
  resolution?: string;
  note?: string;
}

export interface DemoHistoryTicket {
  key: string;
  customer: string;
  serialNumber: string;
  productSku: string;
  serviceCenter: string;
  technician: string | null;
  kind: "REPAIR" | "MAINTENANCE";
  channel: TicketChannel;
  priority: Priority;
  subject: string;
  description: string;
  failureCode: string | null;
  /** ISO-8601 UTC. */
  openedAt: string;
  steps: DemoHistoryStep[];
  reopened: boolean;
  /** The customer's answer to the CSAT survey; null for a reopened ticket (never surveyed). */
  csat: { score: number; comment: string | null; language: "en" | "de"; answeredAt: string } | null;
}

export interface DemoHistory {
  /** The first day of the history (the first of a month), and the last (the day before the current month began). */
  from: string;
  to: string;
  tickets: DemoHistoryTicket[];
}

const HOUR_MS = 60 * 60 * 1000;
const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
const instant = (day: string, hours: number) => new Date(Date.parse(`${day}T00:00:00Z`) + hours * HOUR_MS);

/** More tickets in winter (heating season for machines kept in cold kitchens and cars), fewer in summer; by UTC month, 1 = January. */
const SEASON: Readonly<Record<number, number>> = { 1: 1.5, 2: 1.35, 3: 1.1, 4: 0.95, 5: 0.85, 6: 0.8, 7: 0.75, 8: 0.8, 9: 0.95, 10: 1.05, 11: 1.25, 12: 1.55 };
/** Tickets in an average month, before the season and the spike. */
const TICKETS_PER_MONTH = 9;
/** Pump failures added in each month of the spike. */
const SPIKE_TICKETS = 7;

const PRIORITIES: readonly (readonly [Priority, number])[] = [
  ["P1", 1],
  ["P2", 3],
  ["P3", 5],
  ["P4", 2],
];
/** How much faster urgent work goes. */
const PRIORITY_PACE: Readonly<Record<Priority, number>> = { P1: 0.3, P2: 0.55, P3: 1, P4: 1.4 };
const CHANNELS: readonly (readonly [TicketChannel, number])[] = [
  ["PHONE", 5],
  ["EMAIL", 3],
  ["PORTAL", 2],
  ["CHAT", 1],
  ["DEALER_API", 1],
];

const PRAISE = {
  en: ["Quick and friendly service.", "The technician explained everything, thank you.", "Fixed on the first visit."],
  de: ["Schnell und freundlich erledigt.", "Der Techniker hat alles gut erklärt, danke.", "Beim ersten Besuch repariert."],
} as const;

export function historyOf(world: DemoWorld): DemoHistory {
  // Its own stream of random numbers: the world's other draws stay as they were.
  const random = new Random((world.seed ^ 0x4849_5354) >>> 0);
  const { today } = world;
  const from = addMonthsClamped(monthStart(today), -HISTORY_MONTHS);
  const to = addDays(monthStart(today), -1);
  // Nothing of the past reaches into the last hours before the seed: the live world happens then.
  const latest = instant(today, 0).getTime() - 2 * HOUR_MS;
  const customerOf = new Map(world.customers.map((c) => [c.key, c]));
  const dealerOf = new Map(world.dealers.map((d) => [d.key, d]));
  const centers = world.dealers.filter((d) => d.kind !== "DEALER");

  /** Units a customer owned on `day`: owned since before then, not retired, not in stock. */
  const ownedOn = (day: string) =>
    world.units.filter((u) => {
      if (u.owner === null || !["DELIVERED", "INSTALLED", "IN_REPAIR"].includes(u.status)) return false;
      const since = [...u.events].reverse().find((e) => e.kind === "SOLD" || e.kind === "TRANSFERRED");
      return since !== undefined && since.occurredOn < day;
    });

  const tickets: DemoHistoryTicket[] = [];
  const add = (unit: DemoUnit, openedAt: Date, progress: number, spike: boolean, repeatOf: DemoHistoryTicket | null) => {
    const customer = customerOf.get(unit.owner ?? "");
    if (!customer) return;
    const ticket = ticketOf(random, { unit, customer, openedAt, progress, spike, repeatOf, latest, key: `history-${tickets.length + 1}` }, centerFor(customer));
    if (!ticket) return;
    tickets.push(ticket);
    // Some repairs come back within weeks: a repeat repair of the same unit.
    const resolved = ticket.steps.filter((s) => s.status === "RESOLVED").at(-1);
    if (ticket.kind === "REPAIR" && resolved && !repeatOf && random.chance(0.07 - 0.03 * progress)) {
      add(unit, new Date(Date.parse(resolved.at) + random.int(5, 25) * 24 * HOUR_MS + random.int(0, 6) * HOUR_MS), progress, false, ticket);
    }
  };
  const centerFor = (customer: DemoCustomer): { center: DemoDealer; technicians: string[] } => {
    const home = dealerOf.get(customer.homeDealer);
    const center =
      (home && home.kind !== "DEALER" ? home : undefined) ??
      centers.find((c) => c.region === home?.region) ??
      centers[0] ??
      (() => {
        throw new Error("Demo world bug: no service center for the history.");
      })();
    const technicians = world.technicians.filter((t) => t.serviceCenter === center.key && t.active).map((t) => t.key);
    return { center, technicians };
  };

  for (let m = HISTORY_MONTHS; m >= 1; m--) {
    const first = addMonthsClamped(monthStart(today), -m);
    const days = daysIn(first);
    // 0 in the oldest month, 1 in the newest: how far the dealers' improvement has come.
    const progress = (HISTORY_MONTHS - m) / (HISTORY_MONTHS - 1);
    const season = SEASON[Number(first.slice(5, 7))] ?? 1;
    const count = Math.round(TICKETS_PER_MONTH * season * random.float(0.85, 1.15));
    const spikeMonth = m <= FAILURE_SPIKE.monthsAgo[0] && m >= FAILURE_SPIKE.monthsAgo[1];
    const planned = [...Array.from({ length: count }, () => false), ...Array.from({ length: spikeMonth ? SPIKE_TICKETS : 0 }, () => true)];
    for (const spike of planned) {
      const day = addDays(first, random.int(0, days - 1));
      const owned = ownedOn(day).filter((u) => !spike || u.productSku === FAILURE_SPIKE.productSku);
      if (!owned.length) continue;
      add(random.pick(owned), instant(day, random.float(6, 16)), progress, spike, null);
    }
  }
  tickets.sort((a, b) => a.openedAt.localeCompare(b.openedAt));
  return { from, to, tickets };
}

function daysIn(first: string): number {
  return Number(addDays(addMonthsClamped(first, 1), -1).slice(8, 10));
}

interface TicketContext {
  key: string;
  unit: DemoUnit;
  customer: DemoCustomer;
  openedAt: Date;
  progress: number;
  spike: boolean;
  repeatOf: DemoHistoryTicket | null;
  /** No step after this instant (ms). */
  latest: number;
}

/** One ticket's history, or null when it would reach into the present. */
function ticketOf(random: Random, c: TicketContext, where: { center: DemoDealer; technicians: string[] }): DemoHistoryTicket | null {
  const template = productTemplate(c.unit.productSku);
  const modes = template?.failureModes ?? [];
  const pump = modes.find((m) => m.code.includes("PUMP")) ?? modes[0];
  const repeated = c.repeatOf ? modes.find((m) => m.code === c.repeatOf?.failureCode) : undefined;
  const maintenance = !c.spike && !c.repeatOf && random.chance(0.15);
  const mode = maintenance ? undefined : c.spike ? pump : (repeated ?? (modes.length ? random.pick(modes) : undefined));
  const priority = c.spike ? random.pick(["P1", "P2"] as const) : maintenance ? "P4" : random.weighted(PRIORITIES);
  const pace = PRIORITY_PACE[priority];
  const language: "de" | "en" = c.customer.address.country === "DE" || c.customer.address.country === "AT" ? "de" : "en";

  // Hours, from a skewed spread around a median that falls as the dealers improve.
  const skewed = (median: number) => median * Math.exp(random.float(-0.7, 0.9));
  let at = c.openedAt.getTime();
  const steps: DemoHistoryStep[] = [];
  const step = (status: TicketStatus, afterHours: number, texts: { resolution?: string; note?: string } = {}) => {
    at += Math.max(0.25, afterHours) * HOUR_MS;
    steps.push({ status, at: new Date(at).toISOString(), ...texts });
  };
  const fix = mode?.fix ?? "Serviced as scheduled.";
  step("IN_PROGRESS", skewed((6 - 4.5 * c.progress) * pace));
  const waitsForParts = c.spike || (mode?.partSku !== undefined && random.chance(0.25));
  if (waitsForParts) {
    step("WAITING_PARTS", skewed(2), { note: "Part ordered." });
    step("IN_PROGRESS", skewed(c.spike ? 90 - 40 * c.progress : 40), { note: "Part arrived." });
  }
  step("RESOLVED", skewed((70 - 50 * c.progress) * pace), { resolution: fix });
  const reopened = !maintenance && random.chance(0.08 - 0.05 * c.progress);
  if (reopened) {
    step("IN_PROGRESS", random.float(20, 150), { note: "The fault came back." });
    step("RESOLVED", skewed(24 * pace), { resolution: `${fix} Checked again and retested.` });
  }
  const resolvedAt = at;
  if (resolvedAt > c.latest) return null;
  // Every past ticket is closed by the time the seed runs: the ones still worked on are today's.
  step("CLOSED", (Math.min(at + random.float(3, 10) * 24 * HOUR_MS, c.latest) - at) / HOUR_MS);

  const hours = (resolvedAt - c.openedAt.getTime()) / HOUR_MS;
  // Happier the faster it went, and the better the dealers became.
  const mood = 3.3 + 1.3 * c.progress - (hours > 72 ? 1 : hours > 36 ? 0.4 : 0) + random.float(-0.9, 0.9);
  const score = Math.min(5, Math.max(1, Math.round(mood)));
  const answeredAt = Math.min(resolvedAt + random.float(2, 96) * HOUR_MS, c.latest);
  // Reopened tickets are never surveyed. Every other survey of the past was answered: one left unanswered would open now.
  const csat = reopened
    ? null
    : {
        score,
        // Praise only: a low score with a comment would open a complaint case, which the live world tells.
        comment: score >= 4 && random.chance(0.4) ? random.pick(PRAISE[language]) : null,
        language,
        answeredAt: new Date(answeredAt).toISOString(),
      };
  return {
    key: c.key,
    customer: c.customer.key,
    serialNumber: c.unit.serialNumber,
    productSku: c.unit.productSku,
    serviceCenter: where.center.key,
    technician: where.technicians.length ? random.pick(where.technicians) : null,
    kind: maintenance ? "MAINTENANCE" : "REPAIR",
    channel: random.weighted(CHANNELS),
    priority,
    subject: maintenance ? `Yearly service of ${template?.name ?? c.unit.productSku}` : (mode?.symptom ?? "Does not work"),
    description: maintenance ? "Scheduled maintenance visit." : c.repeatOf ? "The same fault as before is back." : (mode?.symptom ?? "Does not work."),
    failureCode: maintenance ? null : (mode?.code ?? null),
    openedAt: c.openedAt.toISOString(),
    steps,
    reopened,
    csat,
  };
}
