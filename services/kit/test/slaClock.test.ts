import { describe, expect, it } from "vitest";
import type { BusinessCalendar } from "../src/businessTime.js";
import { breachesToRecord, readClock, type ClockReading, type SlaEvent, type SlaEventKind } from "../src/slaClock.js";
import { BERLIN_OFFICE as BERLIN, berlin, clockEvent as event, officeHours, shownInBerlin as shown } from "../src/testing.js";

const HOUR = 3600;

/** The resolution clock over `events` as of `now`, eight business hours by default. */
const read = (events: SlaEvent[], now: string, targetSeconds = 8 * HOUR, calendar = BERLIN): ClockReading =>
  readClock(calendar, targetSeconds, events, berlin(now));

const STARTED_MONDAY = event("STARTED", "2026-03-02 09:00");

describe("readClock: running", () => {
  it("counts business time since the start and is due when the target is used up", () => {
    const reading = read([STARTED_MONDAY], "2026-03-02 11:30");
    expect(reading.targetSeconds).toBe(8 * HOUR);
    expect(shown(reading)).toEqual({
      state: "RUNNING",
      startedAt: "2026-03-02 09:00",
      dueAt: "2026-03-02 17:00",
      elapsedHours: 2.5,
      pausedHours: 0,
      metAt: null,
      breachedAt: null,
    });
  });

  it("carries the target over the night and the weekend", () => {
    expect(shown(read([event("STARTED", "2026-03-06 15:00")], "2026-03-06 20:00"))).toMatchObject({
      state: "RUNNING",
      dueAt: "2026-03-09 15:00",
      elapsedHours: 2,
    });
  });

  it("keeps the due date while time passes", () => {
    const dueAts = ["2026-03-02 09:00", "2026-03-02 12:17", "2026-03-02 19:00", "2026-03-03 11:59"].map((now) => read([STARTED_MONDAY], now, 16 * HOUR).dueAt);
    expect(new Set(dueAts.map((at) => at?.toISOString()))).toEqual(new Set([berlin("2026-03-03 17:00").toISOString()]));
  });

  it("floors elapsed time to whole seconds", () => {
    const reading = readClock(BERLIN, 8 * HOUR, [STARTED_MONDAY], new Date(berlin("2026-03-02 09:00").getTime() + 1999));
    expect(reading.elapsedSeconds).toBe(1);
  });
});

describe("readClock: breach", () => {
  it("is breached at the instant the target was used up while running", () => {
    expect(shown(read([STARTED_MONDAY], "2026-03-02 15:00", 4 * HOUR))).toMatchObject({
      state: "BREACHED",
      dueAt: "2026-03-02 13:00",
      elapsedHours: 6,
      breachedAt: "2026-03-02 13:00",
    });
  });

  it("is not breached yet at the due instant itself", () => {
    expect(shown(read([STARTED_MONDAY], "2026-03-02 13:00", 4 * HOUR))).toMatchObject({ state: "RUNNING", dueAt: "2026-03-02 13:00", breachedAt: null });
  });

  it("is breached once still running after the due instant, even outside business hours", () => {
    // due at Monday's closing; the target is used up but the ticket is not resolved
    expect(shown(read([STARTED_MONDAY], "2026-03-02 18:00"))).toMatchObject({ state: "BREACHED", breachedAt: "2026-03-02 17:00", elapsedHours: 8 });
    expect(shown(read([STARTED_MONDAY, event("MET", "2026-03-02 18:00")], "2026-03-03 10:00"))).toMatchObject({
      state: "BREACHED",
      breachedAt: "2026-03-02 17:00",
      metAt: "2026-03-02 18:00",
    });
  });

  it.each([
    { name: "met at the due instant", stop: "MET", state: "MET" },
    { name: "stopped at the due instant", stop: "STOPPED", state: "STOPPED" },
  ] satisfies { name: string; stop: SlaEventKind; state: string }[])("is on time $name", ({ stop, state }) => {
    // met in time: no deadline stands any more
    expect(shown(read([STARTED_MONDAY, event(stop, "2026-03-02 13:00")], "2026-03-04 10:00", 4 * HOUR))).toMatchObject({
      state,
      dueAt: null,
      breachedAt: null,
    });
  });

  it("is breached when it ran on after a pause that began at the due instant", () => {
    const paused = [STARTED_MONDAY, event("PAUSED", "2026-03-02 13:00")];
    expect(shown(read(paused, "2026-03-02 16:00", 4 * HOUR))).toMatchObject({ state: "PAUSED", breachedAt: null, dueAt: null });
    const resumed = [...paused, event("RESUMED", "2026-03-03 10:00")];
    expect(shown(read(resumed, "2026-03-03 10:00", 4 * HOUR))).toMatchObject({ state: "RUNNING", breachedAt: null });
    expect(shown(read(resumed, "2026-03-03 10:30", 4 * HOUR))).toMatchObject({ state: "BREACHED", breachedAt: "2026-03-02 13:00" });
  });

  it("stays breached after the ticket is resolved and reopened", () => {
    const resolvedLate = [STARTED_MONDAY, event("MET", "2026-03-02 12:00")];
    expect(shown(read(resolvedLate, "2026-03-02 14:00", 2 * HOUR))).toMatchObject({
      state: "BREACHED",
      breachedAt: "2026-03-02 11:00",
      metAt: "2026-03-02 12:00",
    });
    const reopened = [...resolvedLate, event("RESUMED", "2026-03-03 09:00")];
    expect(shown(read(reopened, "2026-03-03 10:00", 2 * HOUR))).toMatchObject({
      state: "BREACHED",
      breachedAt: "2026-03-02 11:00",
      dueAt: "2026-03-02 11:00",
      metAt: null,
      elapsedHours: 4,
    });
    const resolvedAgain = [...reopened, event("MET", "2026-03-03 11:00")];
    expect(shown(read(resolvedAgain, "2026-03-04 10:00", 2 * HOUR))).toMatchObject({ state: "BREACHED", metAt: "2026-03-03 11:00", elapsedHours: 5 });
  });

  it("keeps a recorded BREACHED marker over the computed figures", () => {
    // breached with P1's four hours, then lowered to P3's forty: the breach stands, the due date moves
    const events = [STARTED_MONDAY, event("BREACHED", "2026-03-02 13:00")];
    expect(shown(read(events, "2026-03-02 15:00", 40 * HOUR))).toMatchObject({
      state: "BREACHED",
      breachedAt: "2026-03-02 13:00",
      dueAt: "2026-03-06 17:00",
      elapsedHours: 6,
    });
    // a marker the job wrote a little late still names when it was recorded
    const late = [STARTED_MONDAY, event("BREACHED", "2026-03-02 13:05")];
    expect(shown(read(late, "2026-03-02 15:00", 4 * HOUR)).breachedAt).toBe("2026-03-02 13:05");
  });
});

describe("readClock: pauses", () => {
  it("counts a pause in business time and moves the due date", () => {
    const events = [STARTED_MONDAY, event("PAUSED", "2026-03-02 11:00"), event("RESUMED", "2026-03-02 14:00")];
    expect(shown(read(events, "2026-03-02 16:00"))).toEqual({
      state: "RUNNING",
      startedAt: "2026-03-02 09:00",
      dueAt: "2026-03-03 12:00",
      elapsedHours: 4,
      pausedHours: 3,
      metAt: null,
      breachedAt: null,
    });
  });

  it("counts only the business hours of a pause over the weekend", () => {
    const events = [event("STARTED", "2026-03-06 09:00"), event("PAUSED", "2026-03-06 15:00"), event("RESUMED", "2026-03-09 11:00")];
    expect(shown(read(events, "2026-03-09 12:00"))).toMatchObject({ state: "RUNNING", elapsedHours: 7, pausedHours: 4, dueAt: "2026-03-09 13:00" });
  });

  it("has no due date while paused, and counts the pause up to now", () => {
    const events = [STARTED_MONDAY, event("PAUSED", "2026-03-02 10:00")];
    expect(shown(read(events, "2026-03-03 10:00"))).toMatchObject({ state: "PAUSED", dueAt: null, elapsedHours: 1, pausedHours: 8 });
  });

  it("closes a pause at MET when resolved straight from waiting", () => {
    const events = [STARTED_MONDAY, event("PAUSED", "2026-03-02 10:00"), event("MET", "2026-03-02 12:00")];
    expect(shown(read(events, "2026-03-04 12:00"))).toEqual({
      state: "MET",
      startedAt: "2026-03-02 09:00",
      dueAt: null,
      elapsedHours: 1,
      pausedHours: 2,
      metAt: "2026-03-02 12:00",
      breachedAt: null,
    });
  });

  it("counts the time a reopened ticket stood resolved as paused", () => {
    const events = [STARTED_MONDAY, event("MET", "2026-03-02 11:00"), event("RESUMED", "2026-03-03 10:00")];
    expect(shown(read(events, "2026-03-03 12:00"))).toMatchObject({
      state: "RUNNING",
      elapsedHours: 4,
      // Monday 11:00–17:00 and Tuesday 09:00–10:00
      pausedHours: 7,
      metAt: null,
      dueAt: "2026-03-03 16:00",
    });
  });

  it("does not count time after MET until a reopen", () => {
    const events = [STARTED_MONDAY, event("MET", "2026-03-02 11:00")];
    expect(shown(read(events, "2026-03-09 12:00"))).toMatchObject({ state: "MET", elapsedHours: 2, pausedHours: 0, metAt: "2026-03-02 11:00", dueAt: null });
  });

  it("ignores a repeated event", () => {
    const events = [
      STARTED_MONDAY,
      event("PAUSED", "2026-03-02 10:00"),
      event("PAUSED", "2026-03-02 11:00"),
      event("RESUMED", "2026-03-02 12:00"),
      event("RESUMED", "2026-03-02 13:00"),
    ];
    expect(shown(read(events, "2026-03-02 14:00"))).toMatchObject({ elapsedHours: 3, pausedHours: 2 });
  });
});

describe("readClock: stopped", () => {
  it("stops for good on STOPPED", () => {
    const events = [STARTED_MONDAY, event("STOPPED", "2026-03-02 12:00"), event("RESUMED", "2026-03-03 09:00")];
    expect(shown(read(events, "2026-03-05 12:00"))).toEqual({
      state: "STOPPED",
      startedAt: "2026-03-02 09:00",
      dueAt: null,
      elapsedHours: 3,
      pausedHours: 0,
      metAt: null,
      breachedAt: null,
    });
  });

  it("closes a pause at STOPPED", () => {
    const events = [STARTED_MONDAY, event("PAUSED", "2026-03-02 10:00"), event("STOPPED", "2026-03-02 12:00")];
    expect(shown(read(events, "2026-03-05 12:00"))).toMatchObject({ state: "STOPPED", elapsedHours: 1, pausedHours: 2 });
  });

  it("keeps the breach of a clock stopped late", () => {
    expect(shown(read([STARTED_MONDAY, event("STOPPED", "2026-03-03 12:00")], "2026-03-05 12:00"))).toMatchObject({
      state: "BREACHED",
      breachedAt: "2026-03-02 17:00",
      elapsedHours: 11,
    });
  });
});

describe("readClock: a new target or another calendar", () => {
  const events = [STARTED_MONDAY, event("PAUSED", "2026-03-02 10:00"), event("RESUMED", "2026-03-02 13:00")];

  it.each([
    { priority: "P4, sixteen hours", hours: 16, state: "RUNNING", dueAt: "2026-03-04 12:00", breachedAt: null },
    { priority: "P3, eight hours", hours: 8, state: "RUNNING", dueAt: "2026-03-03 12:00", breachedAt: null },
    { priority: "P2, four hours", hours: 4, state: "RUNNING", dueAt: "2026-03-02 16:00", breachedAt: null },
    // used up at 13:30, before the change of priority at 14:00
    { priority: "P1, ninety minutes", hours: 1.5, state: "BREACHED", dueAt: "2026-03-02 13:30", breachedAt: "2026-03-02 13:30" },
  ])("recomputes from the original start for $priority, keeping the pause", ({ hours, state, dueAt, breachedAt }) => {
    expect(shown(read(events, "2026-03-02 14:00", hours * HOUR))).toEqual({
      state,
      startedAt: "2026-03-02 09:00",
      dueAt,
      elapsedHours: 2,
      pausedHours: 3,
      metAt: null,
      breachedAt,
    });
  });

  it("reads the same events in another service center's hours", () => {
    // New York office hours: Monday 09:00–17:00 EST is 15:00–23:00 in Berlin
    const newYork = officeHours("America/New_York");
    expect(shown(read([STARTED_MONDAY], "2026-03-02 16:00", 8 * HOUR, newYork))).toMatchObject({
      state: "RUNNING",
      elapsedHours: 1,
      dueAt: "2026-03-02 23:00",
    });
    // around the clock, every hour counts
    const always: BusinessCalendar = {
      timeZone: "UTC",
      windows: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensMinute: 0, closesMinute: 1440 })),
      holidays: [],
    };
    expect(shown(read(events, "2026-03-03 09:00", 24 * HOUR, always))).toMatchObject({ elapsedHours: 21, pausedHours: 3, dueAt: "2026-03-03 12:00" });
  });

  it("has no due date in a calendar without hours", () => {
    const closed: BusinessCalendar = { timeZone: "Europe/Berlin", windows: [], holidays: [] };
    expect(shown(read([STARTED_MONDAY], "2026-03-02 12:00", 8 * HOUR, closed))).toMatchObject({ state: "RUNNING", dueAt: null, elapsedHours: 0 });
  });
});

describe("readClock: events it cannot read", () => {
  it("refuses a clock that never started", () => {
    expect(() => read([event("PAUSED", "2026-03-02 10:00")], "2026-03-02 12:00")).toThrow("STARTED");
  });

  it("refuses both clocks' events together", () => {
    expect(() => read([STARTED_MONDAY, event("STARTED", "2026-03-02 09:00", "RESPONSE")], "2026-03-02 12:00")).toThrow("one clock");
  });
});

describe("breachesToRecord", () => {
  it("records a breach once, at the instant of breach", () => {
    const events = [STARTED_MONDAY];
    const first = breachesToRecord("RESOLUTION", read(events, "2026-03-03 10:00", 4 * HOUR), events);
    expect(first).toEqual([{ clock: "RESOLUTION", kind: "BREACHED", at: berlin("2026-03-02 13:00") }]);

    const recorded = [...events, ...first];
    const again = read(recorded, "2026-03-03 11:00", 4 * HOUR);
    expect(again.breachedAt).toEqual(berlin("2026-03-02 13:00"));
    expect(breachesToRecord("RESOLUTION", again, recorded)).toEqual([]);
  });

  it("records nothing for a clock not breached", () => {
    expect(breachesToRecord("RESOLUTION", read([STARTED_MONDAY], "2026-03-02 10:00"), [STARTED_MONDAY])).toEqual([]);
  });

  it("does not count the other clock's marker", () => {
    const response = [event("STARTED", "2026-03-02 09:00", "RESPONSE")];
    const both = [...response, STARTED_MONDAY, event("BREACHED", "2026-03-02 13:00")];
    expect(breachesToRecord("RESPONSE", readClock(BERLIN, HOUR, response, berlin("2026-03-02 12:00")), both)).toEqual([
      { clock: "RESPONSE", kind: "BREACHED", at: berlin("2026-03-02 10:00") },
    ]);
  });
});
