import { readClock, type SlaClockKind, type SlaEvent, type SlaEventKind } from "@aftersales/kit";
import { BERLIN_OFFICE as BERLIN, berlin, clockEvent as event, shownInBerlin as shown } from "@aftersales/kit/testing";
import { describe, expect, it } from "vitest";
import type { TicketStatus } from "../src/domain/lifecycle.js";
import { pausedStatuses, slaEventsForStatusChange } from "../src/domain/sla.js";

const HOUR = 3600;

describe("pausedStatuses", () => {
  it.each([
    { pausesOnWaitingParts: true, paused: ["WAITING_CUSTOMER", "WAITING_PARTS"] },
    { pausesOnWaitingParts: false, paused: ["WAITING_CUSTOMER"] },
  ])("pausesOnWaitingParts $pausesOnWaitingParts: $paused", ({ pausesOnWaitingParts, paused }) => {
    expect(pausedStatuses(pausesOnWaitingParts)).toEqual(paused);
  });
});

describe("slaEventsForStatusChange", () => {
  const AT = berlin("2026-03-03 10:00");
  const response = (kind: SlaEventKind): SlaEvent => event(kind, "2026-03-02 10:00", "RESPONSE");
  const resolution = (kind: SlaEventKind, when = "2026-03-02 12:00"): SlaEvent => event(kind, when);

  // Where both clocks stand, by the events recorded so far.
  const opened = [event("STARTED", "2026-03-02 09:00", "RESPONSE"), resolution("STARTED", "2026-03-02 09:00")];
  const working = [...opened, response("MET")];
  const waiting = [...working, resolution("PAUSED")];
  const resolved = [...working, resolution("MET")];
  const SO_FAR = {
    opened,
    working,
    waiting,
    resolved,
    resolvedFromWaiting: [...waiting, resolution("RESUMED", "2026-03-02 15:00"), resolution("MET", "2026-03-02 15:00")],
    reopened: [...resolved, resolution("RESUMED", "2026-03-02 16:00")],
    cancelled: [...opened, event("STOPPED", "2026-03-02 10:00", "RESPONSE"), resolution("STOPPED", "2026-03-02 10:00")],
    // a ticket opened before SLAs were kept: no clock
    none: [],
  } satisfies Record<string, SlaEvent[]>;
  type SoFar = keyof typeof SO_FAR;

  const CASES: { from: TicketStatus; to: TicketStatus; parts: boolean; soFar: SoFar; expected: string[]; why: string }[] = [
    // the response clock
    { from: "ASSIGNED", to: "IN_PROGRESS", parts: true, soFar: "opened", expected: ["RESPONSE MET"], why: "work started: the first response" },
    { from: "NEW", to: "ASSIGNED", parts: true, soFar: "opened", expected: [], why: "dispatch is not a response" },
    { from: "ASSIGNED", to: "NEW", parts: true, soFar: "opened", expected: [], why: "handing back is not a response" },
    { from: "NEW", to: "CANCELLED", parts: true, soFar: "opened", expected: ["RESPONSE STOPPED", "RESOLUTION STOPPED"], why: "cancelled before any response" },
    {
      from: "ASSIGNED",
      to: "CANCELLED",
      parts: true,
      soFar: "opened",
      expected: ["RESPONSE STOPPED", "RESOLUTION STOPPED"],
      why: "cancelled before work started",
    },
    {
      from: "WAITING_CUSTOMER",
      to: "IN_PROGRESS",
      parts: true,
      soFar: "waiting",
      expected: ["RESOLUTION RESUMED"],
      why: "responded already: only the first move counts",
    },
    // the resolution clock: waiting
    {
      from: "IN_PROGRESS",
      to: "WAITING_CUSTOMER",
      parts: true,
      soFar: "working",
      expected: ["RESOLUTION PAUSED"],
      why: "waiting for the customer always pauses",
    },
    { from: "IN_PROGRESS", to: "WAITING_CUSTOMER", parts: false, soFar: "working", expected: ["RESOLUTION PAUSED"], why: "whatever the dealer's policy" },
    {
      from: "IN_PROGRESS",
      to: "WAITING_PARTS",
      parts: true,
      soFar: "working",
      expected: ["RESOLUTION PAUSED"],
      why: "waiting for parts pauses under this policy",
    },
    {
      from: "IN_PROGRESS",
      to: "WAITING_PARTS",
      parts: false,
      soFar: "working",
      expected: [],
      why: "parts are the service center's business under this policy",
    },
    { from: "WAITING_CUSTOMER", to: "IN_PROGRESS", parts: false, soFar: "waiting", expected: ["RESOLUTION RESUMED"], why: "the customer answered" },
    { from: "WAITING_PARTS", to: "IN_PROGRESS", parts: true, soFar: "waiting", expected: ["RESOLUTION RESUMED"], why: "the part arrived" },
    { from: "WAITING_PARTS", to: "IN_PROGRESS", parts: false, soFar: "working", expected: [], why: "the clock never paused" },
    {
      from: "WAITING_PARTS",
      to: "IN_PROGRESS",
      parts: false,
      soFar: "waiting",
      expected: ["RESOLUTION RESUMED"],
      why: "the policy changed while waiting: the recorded pause still ends",
    },
    // the resolution clock: resolving, cancelling, closing, reopening
    { from: "IN_PROGRESS", to: "RESOLVED", parts: true, soFar: "working", expected: ["RESOLUTION MET"], why: "fixed" },
    {
      from: "WAITING_CUSTOMER",
      to: "RESOLVED",
      parts: true,
      soFar: "waiting",
      expected: ["RESOLUTION RESUMED", "RESOLUTION MET"],
      why: "the pause is closed first",
    },
    {
      from: "WAITING_PARTS",
      to: "RESOLVED",
      parts: true,
      soFar: "waiting",
      expected: ["RESOLUTION RESUMED", "RESOLUTION MET"],
      why: "solved without the part",
    },
    { from: "WAITING_PARTS", to: "RESOLVED", parts: false, soFar: "working", expected: ["RESOLUTION MET"], why: "solved without the part, never paused" },
    { from: "IN_PROGRESS", to: "CANCELLED", parts: true, soFar: "working", expected: ["RESOLUTION STOPPED"], why: "responded already" },
    {
      from: "WAITING_CUSTOMER",
      to: "CANCELLED",
      parts: true,
      soFar: "waiting",
      expected: ["RESOLUTION RESUMED", "RESOLUTION STOPPED"],
      why: "the pause is closed first",
    },
    { from: "RESOLVED", to: "IN_PROGRESS", parts: true, soFar: "resolved", expected: ["RESOLUTION RESUMED"], why: "reopened: the resolution clock runs again" },
    {
      from: "RESOLVED",
      to: "IN_PROGRESS",
      parts: true,
      soFar: "resolvedFromWaiting",
      expected: ["RESOLUTION RESUMED"],
      why: "reopened after resolving from waiting",
    },
    { from: "IN_PROGRESS", to: "RESOLVED", parts: true, soFar: "reopened", expected: ["RESOLUTION MET"], why: "resolved again after a reopen" },
    { from: "RESOLVED", to: "CLOSED", parts: true, soFar: "resolved", expected: [], why: "the clock stopped at resolution" },
    // clocks that are over, or never were
    { from: "NEW", to: "CANCELLED", parts: true, soFar: "cancelled", expected: [], why: "stopped already (a retried change)" },
    { from: "ASSIGNED", to: "IN_PROGRESS", parts: true, soFar: "none", expected: [], why: "no clock started" },
    { from: "IN_PROGRESS", to: "IN_PROGRESS", parts: true, soFar: "working", expected: [], why: "not a change" },
  ];

  it.each(CASES)("$from → $to (pauses on parts: $parts, $soFar): $expected — $why", ({ from, to, parts, soFar, expected }) => {
    const changes = slaEventsForStatusChange({ from, to, pausesOnWaitingParts: parts, at: AT, events: SO_FAR[soFar] });
    expect(changes.map((e) => `${e.clock} ${e.kind}`)).toEqual(expected);
    for (const change of changes) expect(change.at).toEqual(AT);
  });

  it("drives the clocks through a ticket's life", () => {
    const events: SlaEvent[] = [event("STARTED", "2026-03-02 09:00", "RESPONSE"), event("STARTED", "2026-03-02 09:00")];
    const moves: [TicketStatus, TicketStatus, string][] = [
      ["NEW", "ASSIGNED", "2026-03-02 09:30"],
      ["ASSIGNED", "IN_PROGRESS", "2026-03-02 10:00"],
      ["IN_PROGRESS", "WAITING_PARTS", "2026-03-02 12:00"],
      ["WAITING_PARTS", "IN_PROGRESS", "2026-03-03 12:00"],
      ["IN_PROGRESS", "RESOLVED", "2026-03-03 14:00"],
      ["RESOLVED", "IN_PROGRESS", "2026-03-04 09:00"],
      ["IN_PROGRESS", "WAITING_CUSTOMER", "2026-03-04 10:00"],
      ["WAITING_CUSTOMER", "RESOLVED", "2026-03-04 11:00"],
      ["RESOLVED", "CLOSED", "2026-03-05 09:00"],
    ];
    for (const [from, to, when] of moves) {
      events.push(...slaEventsForStatusChange({ from, to, pausesOnWaitingParts: true, at: berlin(when), events }));
    }
    const now = berlin("2026-03-06 12:00");
    const only = (clock: SlaClockKind) => events.filter((e) => e.clock === clock);
    expect(shown(readClock(BERLIN, HOUR, only("RESPONSE"), now))).toMatchObject({ state: "MET", elapsedHours: 1, metAt: "2026-03-02 10:00" });
    expect(shown(readClock(BERLIN, 8 * HOUR, only("RESOLUTION"), now))).toEqual({
      state: "MET",
      startedAt: "2026-03-02 09:00",
      dueAt: null,
      // Monday 09:00–12:00, Tuesday 12:00–14:00, Wednesday 09:00–10:00
      elapsedHours: 6,
      // waiting for parts Monday 12:00–Tuesday 12:00, resolved Tuesday 14:00–Wednesday 09:00, waiting 10:00–11:00
      pausedHours: 8 + 3 + 1,
      metAt: "2026-03-04 11:00",
      breachedAt: null,
    });
  });
});
