import { emitEvents, executeRows, newId, type Database, type Identity, type NewEvent, type SlaEvent } from "@aftersales/kit";
import { sql } from "drizzle-orm";
import type { ImportedStep } from "../domain/importing.js";
import { isOpen } from "../domain/lifecycle.js";
import { ticketNumber, type TimelineChange } from "../domain/ticket.js";
import { statusChange } from "./changes.js";
import { outbox, serviceTickets, ticketAssignments, ticketSlaEvents, ticketTimeline, type TicketRow } from "./schema.js";
import { settleSla } from "./sla.js";
import { type Actor, breachState, SYSTEM, type TicketEventPayloads, ticketState, type insertTicket } from "./tickets.js";

/** A ticket to import: its row as opened (no number yet), its clocks started, how it reached its service center, and what followed. */
export interface ImportedTicketDraft {
  values: Omit<Parameters<typeof insertTicket>[1], "number"> & { openedAt: Date };
  started: readonly SlaEvent[];
  reached: TimelineChange | null;
  steps: readonly ImportedStep[];
}

interface Replayed {
  row: TicketRow;
  sla: SlaEvent[];
  timeline: { change: TimelineChange; note: string | null; actor: Actor; at: Date }[];
  events: NewEvent<TicketEventPayloads[keyof TicketEventPayloads]>[];
}

/**
 * Replays a ticket's history in memory, change by change, exactly as
 * `recordOpening` and `saveChange` would have written it at those times:
 * each version's row, the clocks' events (a breach found by a change
 * recorded before it), the timeline and the events. Then the clocks as they
 * stand at `now`, as the breach job would have found them.
 */
function replay(draft: ImportedTicketDraft & { number: string }, identity: Identity, now: Date): Replayed {
  const at0 = draft.values.openedAt;
  let row = { ...draft.values, number: draft.number, id: newId("tkt"), version: 1, createdAt: now, updatedAt: now } as TicketRow;
  const sla: SlaEvent[] = [...draft.started];
  const timeline: Replayed["timeline"] = [{ change: { kind: "OPENED" }, note: null, actor: identity, at: at0 }];
  if (draft.reached) timeline.push({ change: draft.reached, note: null, actor: identity, at: at0 });
  const events: Replayed["events"] = [];
  const announce = <Type extends keyof TicketEventPayloads>(type: Type, payload: TicketEventPayloads[Type]) =>
    events.push({ type, aggregate: "ticket", aggregateId: row.id, dealerId: row.dealerId, payload });
  announce("ticket.opened", ticketState(row));
  const breached = (breaches: readonly SlaEvent[]) => {
    for (const breach of breaches) {
      timeline.push({ change: { kind: "SLA_BREACHED", clock: breach.clock }, note: null, actor: SYSTEM, at: breach.at });
      announce("ticket.sla_breached", breachState(row, breach));
    }
  };
  for (const step of draft.steps) {
    const change = statusChange(row, step.status, step.at, step);
    const caused = change.slaEvents?.(sla) ?? [];
    const { columns, breaches } = settleSla(row, [...sla, ...caused], step.at);
    row = { ...row, ...change.values, ...columns, version: row.version + 1 };
    sla.push(...breaches, ...caused);
    breached(breaches);
    for (const entry of change.timeline) timeline.push({ ...entry, actor: identity, at: step.at });
    if (change.event) announce(change.event, ticketState(row));
  }
  const { columns, breaches } = settleSla(row, sla, now);
  row = { ...row, ...columns };
  sla.push(...breaches);
  breached(breaches);
  return { row, sla, timeline, events };
}

/**
 * Writes imported tickets in a handful of statements, however many there
 * are: their numbers, the rows as their histories left them, every clock
 * event, timeline entry and event, and the record of who works them.
 */
export async function recordImportedTickets(tx: Database, identity: Identity, drafts: readonly ImportedTicketDraft[], now: Date): Promise<TicketRow[]> {
  if (!drafts.length) return [];
  const numbers = await executeRows<{ n: string | number }>(tx, sql`select nextval('tickets.ticket_numbers') as n from generate_series(1, ${drafts.length})`);
  const replayed = drafts.map((draft, i) => replay({ ...draft, number: ticketNumber(Number(numbers[i]?.n), draft.values.openedAt) }, identity, now));
  const rows = await tx
    .insert(serviceTickets)
    .values(replayed.map(({ row: { createdAt: _created, updatedAt: _updated, ...row } }) => row))
    .returning();
  const byId = new Map(rows.map((row) => [row.id, row]));
  const sla = replayed.flatMap(({ row, sla }) => sla.map((event, i) => ({ ticketId: row.id, dealerId: row.dealerId, sequence: i + 1, ...event })));
  if (sla.length) await tx.insert(ticketSlaEvents).values(sla);
  const entries = replayed.flatMap(({ row, timeline }) =>
    timeline.map((entry, i) => ({
      ticketId: row.id,
      dealerId: row.dealerId,
      sequence: i + 1,
      change: entry.change,
      note: entry.note,
      actor: entry.actor.subject,
      actorRole: entry.actor.role,
      at: entry.at,
    })),
  );
  await tx.insert(ticketTimeline).values(entries);
  await emitEvents(
    tx,
    outbox,
    replayed.flatMap(({ events }) => events),
  );
  const worked = replayed.flatMap(({ row }) =>
    row.serviceCenterId ? [{ ticketId: row.id, serviceCenterId: row.serviceCenterId, technicianId: row.technicianId, open: isOpen(row.status) }] : [],
  );
  if (worked.length) await tx.insert(ticketAssignments).values(worked);
  return replayed.map(({ row }) => byId.get(row.id) ?? row);
}
