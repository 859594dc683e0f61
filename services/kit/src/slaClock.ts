import { addBusinessMs, businessMsBetween, type BusinessCalendar } from "./businessTime.js";

/**
 * A deadline clock in business hours, with no database: a ticket's SLA
 * clocks, a complaint's response deadline. A clock is only the events it
 * recorded; everything else (elapsed time, due date, breach) is read from
 * them against a target and a calendar. So a new priority (another target)
 * or another service center (another calendar) is a new reading of the same
 * events, counted from the original start with the pauses already earned.
 */

export const SLA_CLOCKS = ["RESPONSE", "RESOLUTION"] as const;
export type SlaClockKind = (typeof SLA_CLOCKS)[number];

export const SLA_EVENT_KINDS = ["STARTED", "PAUSED", "RESUMED", "MET", "BREACHED", "STOPPED"] as const;
export type SlaEventKind = (typeof SLA_EVENT_KINDS)[number];

export const SLA_STATES = ["RUNNING", "PAUSED", "MET", "BREACHED", "STOPPED"] as const;
export type SlaState = (typeof SLA_STATES)[number];

export interface SlaEvent {
  clock: SlaClockKind;
  kind: SlaEventKind;
  at: Date;
}

export interface ClockReading {
  state: SlaState;
  targetSeconds: number;
  startedAt: Date;
  dueAt: Date | null;
  elapsedSeconds: number;
  pausedSeconds: number;
  metAt: Date | null;
  breachedAt: Date | null;
}

// ---------------------------------------------------------------------------
// Replaying a clock's events
// ---------------------------------------------------------------------------

/** Where a clock stands after its events; a breach is a marker beside this, not a phase. */
type Phase = "RUNNING" | "PAUSED" | "MET" | "STOPPED";

/** A stretch between two events: running time counts toward the target, the rest is paused time. `to` is null while it lasts. */
interface Stretch {
  running: boolean;
  from: Date;
  to: Date | null;
}

interface Replay {
  /** Null until STARTED: a clock that never started. */
  phase: Phase | null;
  startedAt: Date | null;
  stretches: Stretch[];
  metAt: Date | null;
  recordedBreach: Date | null;
}

/**
 * Replays one clock's events, oldest first. An event that does not fit the
 * phase (PAUSED while paused, anything after STOPPED, STOPPED once met) is
 * ignored rather than refused: the history is what happened, and a
 * duplicate from a retried job must not bend the figures.
 */
function replay(events: readonly SlaEvent[]): Replay {
  let phase: Phase | null = null;
  let startedAt: Date | null = null;
  let since = new Date(0);
  let metAt: Date | null = null;
  let recordedBreach: Date | null = null;
  const stretches: Stretch[] = [];
  /** Ends the stretch since the last change at `at`. */
  const close = (running: boolean, at: Date) => {
    stretches.push({ running, from: since, to: at });
    since = at;
  };

  for (const { kind, at } of events) {
    switch (kind) {
      case "STARTED":
        if (phase === null) {
          phase = "RUNNING";
          startedAt = since = at;
        }
        break;
      case "PAUSED":
        if (phase === "RUNNING") {
          close(true, at);
          phase = "PAUSED";
        }
        break;
      case "RESUMED":
        // From MET this is a reopen: the time it stood resolved is paused time.
        if (phase === "PAUSED" || phase === "MET") {
          close(false, at);
          phase = "RUNNING";
          metAt = null;
        }
        break;
      case "MET":
      case "STOPPED":
        if (phase === "RUNNING" || phase === "PAUSED") {
          close(phase === "RUNNING", at);
          phase = kind;
          if (kind === "MET") metAt = at;
        }
        break;
      case "BREACHED":
        recordedBreach ??= at;
        break;
    }
  }
  if (phase === "RUNNING" || phase === "PAUSED") stretches.push({ running: phase === "RUNNING", from: since, to: null });
  return { phase, startedAt, stretches, metAt, recordedBreach };
}

// ---------------------------------------------------------------------------
// Reading a clock
// ---------------------------------------------------------------------------

/**
 * One clock as of `now`, from its events (this clock's only, oldest first),
 * its target in business seconds and the calendar of the service center
 * doing the work.
 *
 * The target is reached at the earliest instant the running business time
 * equals it (so a target that runs out at closing time is due at closing).
 * The clock is breached when it is still running after that instant, even
 * outside business hours: due Monday 17:00 and resolved 18:00 is late. It
 * is not breached when met or stopped at the very instant, nor at `now`
 * itself. Events are taken as recorded, even one dated a little after `now`
 * (two machines' clocks); a stretch that ends before it begins counts nothing.
 */
export function readClock(calendar: BusinessCalendar, targetSeconds: number, events: readonly SlaEvent[], now: Date): ClockReading {
  const clocks = new Set(events.map((e) => e.clock));
  // Both clocks' events mixed would read as one wrong clock: a bug in the caller, not a state.
  if (clocks.size > 1) throw new Error(`readClock was given events of ${[...clocks].join(" and ")}; pass one clock's`);
  const { phase, startedAt, stretches, metAt, recordedBreach } = replay(events);
  if (phase === null || startedAt === null) throw new Error("an SLA clock's events have no STARTED");

  const targetMs = targetSeconds * 1000;
  let runningMs = 0;
  let pausedMs = 0;
  let reachedAt: Date | null = null;
  let runPastTarget = false;
  for (const stretch of stretches) {
    const end = stretch.to ?? now;
    const ms = businessMsBetween(calendar, stretch.from, end);
    if (!stretch.running) {
      pausedMs += ms;
      continue;
    }
    if (reachedAt === null && runningMs + ms >= targetMs) {
      // Within this stretch; the end is a fallback for a stretch beyond addBusinessMs's horizon, and cannot be early.
      reachedAt = addBusinessMs(calendar, stretch.from, targetMs - runningMs) ?? end;
      runPastTarget = reachedAt.getTime() < end.getTime();
    } else if (reachedAt !== null && end.getTime() > stretch.from.getTime()) {
      // reached just as it paused or was met, then running again after a resume
      runPastTarget = true;
    }
    runningMs += ms;
  }

  const breachedAt = recordedBreach ?? (runPastTarget ? reachedAt : null);
  const last = stretches[stretches.length - 1];
  // A target reached just as the clock was met, stopped or paused was met in time: no deadline stands.
  let dueAt = breachedAt !== null || phase === "RUNNING" ? reachedAt : null;
  if (dueAt === null && phase === "RUNNING" && last) {
    // a reading taken before its clock started (clock skew) counts from the start
    const from = last.from.getTime() > now.getTime() ? last.from : now;
    dueAt = addBusinessMs(calendar, from, targetMs - runningMs);
  }

  return {
    state: breachedAt ? "BREACHED" : phase,
    targetSeconds,
    startedAt,
    dueAt,
    elapsedSeconds: Math.floor(runningMs / 1000),
    pausedSeconds: Math.floor(pausedMs / 1000),
    metAt,
    breachedAt,
  };
}

/** BREACHED events that should now be recorded (at the instant of breach), given a reading and the events; [] when recorded already or not breached. Used by the idempotent breach job. */
export function breachesToRecord(clock: SlaClockKind, reading: ClockReading, events: readonly SlaEvent[]): SlaEvent[] {
  if (reading.breachedAt === null) return [];
  if (events.some((e) => e.clock === clock && e.kind === "BREACHED")) return [];
  return [{ clock, kind: "BREACHED", at: reading.breachedAt }];
}

/** Where a clock stands after its events (null: never started), for deciding what a change does to it. */
export const clockPhase = (events: readonly SlaEvent[]): "RUNNING" | "PAUSED" | "MET" | "STOPPED" | null => replay(events).phase;
