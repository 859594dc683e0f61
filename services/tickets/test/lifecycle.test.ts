import { describe, expect, it } from "vitest";
import {
  checkTransition,
  FINAL_STATUSES,
  isOpen,
  isReopen,
  OPEN_STATUSES,
  REOPEN_WINDOW_DAYS,
  reopenDeadline,
  STATUSES,
  TRANSITIONS,
  type TicketStatus,
} from "../src/domain/lifecycle.js";

const RESOLVED_AT = new Date("2026-03-01T10:00:00.000Z");
const NOW = new Date("2026-03-05T09:00:00.000Z");
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const after = (ms: number) => new Date(RESOLVED_AT.getTime() + ms);

/** A move with a service center set, resolved four days ago: only the status decides. */
const move = (from: TicketStatus, to: TicketStatus, more: Partial<Parameters<typeof checkTransition>[0]> = {}) =>
  checkTransition({ from, to, resolvedAt: from === "RESOLVED" ? RESOLVED_AT : null, now: NOW, hasAssignee: true, ...more });

/** Every move a ticket may make, written out by hand: the rules dispatch and service centers rely on. */
const ALLOWED: { from: TicketStatus; to: TicketStatus; why: string }[] = [
  { from: "NEW", to: "ASSIGNED", why: "dispatch gives it to a service center" },
  { from: "NEW", to: "CANCELLED", why: "opened by mistake" },
  { from: "ASSIGNED", to: "IN_PROGRESS", why: "the service center starts work" },
  { from: "ASSIGNED", to: "NEW", why: "the service center hands it back for dispatch" },
  { from: "ASSIGNED", to: "CANCELLED", why: "no longer needed" },
  { from: "IN_PROGRESS", to: "WAITING_CUSTOMER", why: "a question to the customer" },
  { from: "IN_PROGRESS", to: "WAITING_PARTS", why: "a part is on order" },
  { from: "IN_PROGRESS", to: "RESOLVED", why: "fixed" },
  { from: "IN_PROGRESS", to: "CANCELLED", why: "no longer needed" },
  { from: "WAITING_CUSTOMER", to: "IN_PROGRESS", why: "the customer answered" },
  { from: "WAITING_CUSTOMER", to: "RESOLVED", why: "the answer solved it" },
  { from: "WAITING_CUSTOMER", to: "CANCELLED", why: "the customer withdrew" },
  { from: "WAITING_PARTS", to: "IN_PROGRESS", why: "the part arrived" },
  { from: "WAITING_PARTS", to: "RESOLVED", why: "solved without the part" },
  { from: "WAITING_PARTS", to: "CANCELLED", why: "no longer needed" },
  { from: "RESOLVED", to: "CLOSED", why: "the fix held" },
  { from: "RESOLVED", to: "IN_PROGRESS", why: "reopened: the fix did not hold" },
];

describe("checkTransition", () => {
  it.each(ALLOWED)("allows $from → $to: $why", ({ from, to }) => {
    expect(move(from, to)).toBeNull();
  });

  it("lists exactly the hand-written moves in TRANSITIONS", () => {
    const listed = STATUSES.flatMap((from) => TRANSITIONS[from].map((to) => `${from} → ${to}`));
    expect(listed.sort()).toEqual(ALLOWED.map(({ from, to }) => `${from} → ${to}`).sort());
  });

  it.each([
    { from: "NEW", to: "IN_PROGRESS", why: "work starts only once a service center has it" },
    { from: "NEW", to: "RESOLVED", why: "nobody has worked on it" },
    { from: "ASSIGNED", to: "WAITING_PARTS", why: "work has not started" },
    { from: "IN_PROGRESS", to: "NEW", why: "only an assigned ticket is handed back" },
    { from: "IN_PROGRESS", to: "CLOSED", why: "a ticket is resolved before it is closed" },
    { from: "WAITING_CUSTOMER", to: "WAITING_PARTS", why: "work resumes in between" },
    { from: "RESOLVED", to: "CANCELLED", why: "a resolved ticket was not cancelled" },
    { from: "RESOLVED", to: "ASSIGNED", why: "a reopen goes to IN_PROGRESS" },
  ] satisfies { from: TicketStatus; to: TicketStatus; why: string }[])("refuses $from → $to: $why", ({ from, to }) => {
    expect(move(from, to)).toMatchObject({ code: "INVALID_TRANSITION" });
  });

  it("refuses every other move between two statuses, naming what is allowed instead", () => {
    const allowed = new Set(ALLOWED.map(({ from, to }) => `${from} → ${to}`));
    const refused = STATUSES.flatMap((from) => STATUSES.map((to) => ({ from, to }))).filter(
      ({ from, to }) => from !== to && !FINAL_STATUSES.includes(from) && !allowed.has(`${from} → ${to}`),
    );
    expect(refused).toHaveLength(6 * 7 - ALLOWED.length);
    for (const { from, to } of refused) {
      expect(move(from, to), `${from} → ${to}`).toEqual({
        code: "INVALID_TRANSITION",
        message: expect.stringMatching(new RegExp(`^A ticket ${from} can move to `)),
      });
    }
  });

  it.each([
    { from: "NEW", to: "IN_PROGRESS", message: "A ticket NEW can move to ASSIGNED or CANCELLED." },
    { from: "ASSIGNED", to: "RESOLVED", message: "A ticket ASSIGNED can move to IN_PROGRESS, NEW or CANCELLED." },
    { from: "IN_PROGRESS", to: "NEW", message: "A ticket IN_PROGRESS can move to WAITING_CUSTOMER, WAITING_PARTS, RESOLVED or CANCELLED." },
    { from: "WAITING_CUSTOMER", to: "CLOSED", message: "A ticket WAITING_CUSTOMER can move to IN_PROGRESS, RESOLVED or CANCELLED." },
    { from: "WAITING_PARTS", to: "ASSIGNED", message: "A ticket WAITING_PARTS can move to IN_PROGRESS, RESOLVED or CANCELLED." },
    { from: "RESOLVED", to: "CANCELLED", message: "A ticket RESOLVED can move to CLOSED or IN_PROGRESS." },
  ] satisfies { from: TicketStatus; to: TicketStatus; message: string }[])(
    "refusing $from → $to says what a ticket $from can move to",
    ({ from, to, message }) => {
      expect(move(from, to)).toEqual({ code: "INVALID_TRANSITION", message });
    },
  );

  it.each(FINAL_STATUSES.flatMap((from) => STATUSES.map((to) => ({ from, to }))))("refuses $from → $to: $from is final", ({ from, to }) => {
    expect(move(from, to)).toEqual({ code: "INVALID_TRANSITION", message: `A ${from} ticket is final and cannot move to another status.` });
  });

  it.each(STATUSES.filter((status) => !FINAL_STATUSES.includes(status)))("refuses a move from %s to itself", (status) => {
    expect(move(status, status)).toEqual({
      code: "SAME_STATUS",
      message: expect.stringMatching(new RegExp(`^The ticket is already ${status}; from here it can move to `)),
    });
  });

  it("names the moves still open when the status is unchanged", () => {
    expect(move("WAITING_PARTS", "WAITING_PARTS")?.message).toBe(
      "The ticket is already WAITING_PARTS; from here it can move to IN_PROGRESS, RESOLVED or CANCELLED.",
    );
  });
});

describe("checkTransition: reopening", () => {
  it.each([
    { name: "an hour after resolution", now: after(HOUR_MS), code: null },
    { name: "four days after", now: after(4 * DAY_MS), code: null },
    { name: "a minute before the window closes", now: after(REOPEN_WINDOW_DAYS * DAY_MS - 60_000), code: null },
    { name: "the very instant the window closes", now: after(REOPEN_WINDOW_DAYS * DAY_MS), code: null },
    { name: "a millisecond after the window closed", now: after(REOPEN_WINDOW_DAYS * DAY_MS + 1), code: "REOPEN_WINDOW_PASSED" },
    { name: "fifteen days after", now: after(15 * DAY_MS), code: "REOPEN_WINDOW_PASSED" },
    { name: "a year after", now: after(365 * DAY_MS), code: "REOPEN_WINDOW_PASSED" },
    // a clock behind the one that recorded the resolution
    { name: "a second before resolution", now: after(-1000), code: null },
  ])("$name: $code", ({ now, code }) => {
    const refused = move("RESOLVED", "IN_PROGRESS", { now });
    expect(refused?.code ?? null).toBe(code);
  });

  it("says when the ticket was resolved and that it can only be closed", () => {
    expect(move("RESOLVED", "IN_PROGRESS", { now: after(20 * DAY_MS) })).toEqual({
      code: "REOPEN_WINDOW_PASSED",
      message: "The ticket was resolved more than 14 days ago, on 2026-03-01, so it can only move to CLOSED; open a new ticket instead.",
    });
  });

  it("closes a resolved ticket however long ago it was resolved", () => {
    expect(move("RESOLVED", "CLOSED", { now: after(400 * DAY_MS) })).toBeNull();
  });

  it("keeps the window two weeks", () => {
    expect(REOPEN_WINDOW_DAYS).toBe(14);
    expect(reopenDeadline(RESOLVED_AT).toISOString()).toBe("2026-03-15T10:00:00.000Z");
  });

  it("treats a RESOLVED ticket without a resolution time as a bug", () => {
    expect(() => move("RESOLVED", "IN_PROGRESS", { resolvedAt: null })).toThrow("resolvedAt");
  });
});

describe("checkTransition: the assignee", () => {
  it.each([
    { from: "NEW", to: "ASSIGNED", hasAssignee: false, code: "ASSIGNEE_REQUIRED" },
    { from: "NEW", to: "ASSIGNED", hasAssignee: true, code: null },
    { from: "ASSIGNED", to: "IN_PROGRESS", hasAssignee: false, code: "ASSIGNEE_REQUIRED" },
    { from: "WAITING_CUSTOMER", to: "IN_PROGRESS", hasAssignee: false, code: "ASSIGNEE_REQUIRED" },
    { from: "WAITING_PARTS", to: "IN_PROGRESS", hasAssignee: false, code: "ASSIGNEE_REQUIRED" },
    { from: "RESOLVED", to: "IN_PROGRESS", hasAssignee: false, code: "ASSIGNEE_REQUIRED" },
    // handing back, waiting, resolving and ending need nobody
    { from: "ASSIGNED", to: "NEW", hasAssignee: false, code: null },
    { from: "NEW", to: "CANCELLED", hasAssignee: false, code: null },
    { from: "IN_PROGRESS", to: "WAITING_PARTS", hasAssignee: false, code: null },
    { from: "IN_PROGRESS", to: "RESOLVED", hasAssignee: false, code: null },
    { from: "RESOLVED", to: "CLOSED", hasAssignee: false, code: null },
    // the move itself is checked first: assigning would not make it allowed
    { from: "NEW", to: "IN_PROGRESS", hasAssignee: false, code: "INVALID_TRANSITION" },
    { from: "IN_PROGRESS", to: "IN_PROGRESS", hasAssignee: false, code: "SAME_STATUS" },
  ] satisfies { from: TicketStatus; to: TicketStatus; hasAssignee: boolean; code: string | null }[])(
    "$from → $to, assignee $hasAssignee: $code",
    ({ from, to, hasAssignee, code }) => {
      expect(move(from, to, { hasAssignee })?.code ?? null).toBe(code);
    },
  );

  it("refuses a reopen after the window for the window, not the assignee: assigning would not help", () => {
    expect(move("RESOLVED", "IN_PROGRESS", { hasAssignee: false, now: after(20 * DAY_MS) })?.code).toBe("REOPEN_WINDOW_PASSED");
  });

  it("says what the move needs", () => {
    expect(move("ASSIGNED", "IN_PROGRESS", { hasAssignee: false })).toEqual({
      code: "ASSIGNEE_REQUIRED",
      message: "A ticket can move to IN_PROGRESS only once a service center is assigned to it.",
    });
  });
});

describe("OPEN_STATUSES", () => {
  it.each([
    { status: "NEW", open: true },
    { status: "ASSIGNED", open: true },
    { status: "IN_PROGRESS", open: true },
    { status: "WAITING_CUSTOMER", open: true },
    { status: "WAITING_PARTS", open: true },
    { status: "RESOLVED", open: false },
    { status: "CLOSED", open: false },
    { status: "CANCELLED", open: false },
  ] satisfies { status: TicketStatus; open: boolean }[])("$status is open: $open", ({ status, open }) => {
    expect(OPEN_STATUSES.includes(status)).toBe(open);
    expect(isOpen(status)).toBe(open);
  });

  it("names every status once between the lists", () => {
    expect(STATUSES).toHaveLength(8);
    expect([...OPEN_STATUSES, "RESOLVED", ...FINAL_STATUSES].sort()).toEqual([...STATUSES].sort());
  });
});

describe("isReopen", () => {
  it.each([
    { from: "RESOLVED", to: "IN_PROGRESS", reopen: true },
    { from: "RESOLVED", to: "CLOSED", reopen: false },
    { from: "WAITING_PARTS", to: "IN_PROGRESS", reopen: false },
    { from: "WAITING_CUSTOMER", to: "IN_PROGRESS", reopen: false },
    { from: "ASSIGNED", to: "IN_PROGRESS", reopen: false },
    { from: "IN_PROGRESS", to: "RESOLVED", reopen: false },
  ] satisfies { from: TicketStatus; to: TicketStatus; reopen: boolean }[])("$from → $to: $reopen", ({ from, to, reopen }) => {
    expect(isReopen(from, to)).toBe(reopen);
  });
});
