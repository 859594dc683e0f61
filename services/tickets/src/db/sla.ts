import { anyOf, breachesToRecord, readClock, type ClockReading, type Database, type SlaEvent } from "@aftersales/kit";
import { and, asc, eq, lte, or, sql } from "drizzle-orm";
import { STANDARD_TARGETS, type DealerPolicy } from "../domain/slaPolicy.js";
import { serviceTickets, slaPolicies, ticketSlaEvents, type SlaEventRow, type SlaPolicyRow, type TicketRow } from "./schema.js";
import { appendTimeline, breachState, emitAboutTicket, SYSTEM } from "./tickets.js";

/** What a ticket's clocks are read with: its calendar and targets as fixed on the ticket. */
export type SlaSettings = Pick<TicketRow, "slaCalendar" | "responseTargetSeconds" | "resolutionTargetSeconds">;

/** `Ticket.sla` as resolved: the ticket, its clocks' events and their readings now. */
export interface TicketSlaView {
  ticket: TicketRow;
  events: SlaEvent[];
  readings: SlaReadings;
}

/** `Dealer.slaPolicy`: the dealer's own policy, or the standard targets. */
export interface SlaPolicyView extends DealerPolicy {
  dealerId: string;
  source: "DEALER_POLICY" | "STANDARD";
  version: number;
}

export interface SlaReadings {
  response: ClockReading;
  resolution: ClockReading;
}

/** Whether either clock is breached: recorded, or its target ran out while it ran. */
export const isBreached = (readings: SlaReadings): boolean => readings.response.state === "BREACHED" || readings.resolution.state === "BREACHED";

const ofClock = (events: readonly SlaEvent[], clock: SlaEvent["clock"]) => events.filter((e) => e.clock === clock);

export function readSla(settings: SlaSettings, events: readonly SlaEvent[], now: Date): SlaReadings {
  return {
    response: readClock(settings.slaCalendar, settings.responseTargetSeconds, ofClock(events, "RESPONSE"), now),
    resolution: readClock(settings.slaCalendar, settings.resolutionTargetSeconds, ofClock(events, "RESOLUTION"), now),
  };
}

/**
 * The ticket's SLA columns after `events`, and the breaches to record now
 * (at the instant each target ran out). A due time is kept only while its
 * clock runs and is not yet breached: lists of tickets at risk use it.
 */
export function settleSla(settings: SlaSettings, events: readonly SlaEvent[], now: Date) {
  const readings = readSla(settings, events, now);
  const breaches = [
    ...breachesToRecord("RESPONSE", readings.response, ofClock(events, "RESPONSE")),
    ...breachesToRecord("RESOLUTION", readings.resolution, ofClock(events, "RESOLUTION")),
  ];
  const runningDue = (reading: ClockReading) => (reading.state === "RUNNING" ? reading.dueAt : null);
  return {
    columns: {
      responseDueAt: runningDue(readings.response),
      resolutionDueAt: runningDue(readings.resolution),
      slaBreached: isBreached(readings),
    },
    breaches,
  };
}

export const toSlaEvent = (row: SlaEventRow): SlaEvent => ({ clock: row.clock, kind: row.kind, at: row.at });

export function findSlaEventsByTicketIds(db: Database, ticketIds: readonly string[]) {
  return db.select().from(ticketSlaEvents).where(anyOf(ticketSlaEvents.ticketId, ticketIds)).orderBy(asc(ticketSlaEvents.sequence));
}

/** A locked ticket's SLA events, oldest first. */
export async function slaEventsOf(tx: Database, ticketId: string): Promise<SlaEvent[]> {
  return (await findSlaEventsByTicketIds(tx, [ticketId])).map(toSlaEvent);
}

/**
 * Appends events to a locked (or new) ticket's clocks; `recorded` is how
 * many it had. Breaches also go on the timeline and out as
 * `ticket.sla_breached`; the unique breach index makes a second recording
 * of the same breach a no-op, on the timeline and in the events too.
 */
export async function appendSlaEvents(
  tx: Database,
  ticket: TicketRow,
  recorded: number,
  events: readonly SlaEvent[],
  breaches: readonly SlaEvent[],
): Promise<void> {
  // A breach found by a change happened before it: recorded first, the events stay in time order.
  const all = [...breaches, ...events];
  if (all.length === 0) return;
  const inserted = await tx
    .insert(ticketSlaEvents)
    .values(all.map((event, i) => ({ ticketId: ticket.id, dealerId: ticket.dealerId, sequence: recorded + i + 1, ...event })))
    .onConflictDoNothing()
    .returning({ sequence: ticketSlaEvents.sequence });
  const fresh = new Set(inserted.map((row) => row.sequence));
  // Only a breach recorded now is told: a second recording must not announce it again under a new event id.
  for (const [i, breach] of breaches.entries()) {
    if (!fresh.has(recorded + i + 1)) continue;
    // Nobody breached it: time ran out.
    await appendTimeline(tx, ticket, { change: { kind: "SLA_BREACHED", clock: breach.clock }, note: null, actor: SYSTEM, at: breach.at });
    await emitAboutTicket(tx, ticket, "ticket.sla_breached", breachState(ticket, breach));
  }
}

/**
 * Open tickets whose running deadline has passed by `now`, locked, skipping
 * those another run or a change holds (they are settled there).
 */
export function lockTicketsPastDue(tx: Database, now: Date, limit: number) {
  return tx
    .select()
    .from(serviceTickets)
    .where(or(lte(serviceTickets.responseDueAt, now), lte(serviceTickets.resolutionDueAt, now)))
    .orderBy(asc(serviceTickets.id))
    .limit(limit)
    .for("update", { skipLocked: true });
}

/** Saves SLA columns without a new version: time running out is not a change a client made. */
export async function saveSlaColumns(tx: Database, ticketId: string, columns: ReturnType<typeof settleSla>["columns"]): Promise<void> {
  await tx.update(serviceTickets).set(columns).where(eq(serviceTickets.id, ticketId));
}

/** A dealer's policy as the API shows it: its own, or the standard targets when it set none (version 0). */
export function policyView(dealerId: string, row: SlaPolicyRow | null | undefined): SlaPolicyView {
  return row
    ? { dealerId, source: "DEALER_POLICY", targets: row.targets, pausesOnWaitingParts: row.pausesOnWaitingParts, version: row.version }
    : { dealerId, source: "STANDARD", targets: STANDARD_TARGETS, pausesOnWaitingParts: false, version: 0 };
}

export function findSlaPoliciesByDealerIds(db: Database, dealerIds: readonly string[]) {
  return db.select().from(slaPolicies).where(anyOf(slaPolicies.dealerId, dealerIds));
}

/** Creates or replaces a dealer's policy at the version read (0: none yet); null when someone changed it since. */
export async function saveSlaPolicy(tx: Database, dealerId: string, version: number, policy: DealerPolicy) {
  if (version === 0) {
    const [row] = await tx
      .insert(slaPolicies)
      .values({ dealerId, ...policy })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  }
  const [row] = await tx
    .update(slaPolicies)
    .set({ ...policy, version: sql`${slaPolicies.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(slaPolicies.dealerId, dealerId), eq(slaPolicies.version, version)))
    .returning();
  return row ?? null;
}
