import { addDays } from "@aftersales/kit";
import { describe, expect, it } from "vitest";
import { isMissed, visitIntervalMonths, visitsToCreate, type ExistingVisit, type VisitPlan } from "../src/domain/maintenance.js";

/** Visits written as `sequence:dueOn:STATUS[:completedOn]`, e.g. `1:2025-07-14:DONE:2025-08-02`. */
const visits = (...specs: string[]): ExistingVisit[] =>
  specs.map((spec) => {
    const [sequence = "0", dueOn = "", status = "PLANNED", completedOn = null] = spec.split(":");
    return { sequence: Number(sequence), dueOn, status: status as ExistingVisit["status"], completedOn };
  });

const plan = (overrides: Partial<VisitPlan>): VisitPlan => ({
  startsOn: "2025-01-31",
  endsOn: "2026-01-30",
  visitsPerYear: 4,
  floating: false,
  cancelledFrom: null,
  ...overrides,
});

describe("visitIntervalMonths", () => {
  it.each([
    [1, 12],
    [2, 6],
    [3, 4],
    [4, 3],
    [6, 2],
    [12, 1],
  ])("%i visits a year: every %i months", (visitsPerYear, months) => {
    expect(visitIntervalMonths(visitsPerYear)).toBe(months);
  });

  it.each([0, 5, 24, 2.5])("refuses %d visits a year", (visitsPerYear) => {
    expect(() => visitIntervalMonths(visitsPerYear)).toThrow(RangeError);
  });
});

describe("isMissed", () => {
  it.each([
    // 2025-03-01 + 7 = 03-08, not before 03-08
    { visit: { status: "PLANNED", dueOn: "2025-03-01" }, today: "2025-03-08", grace: 7, expected: false },
    // 03-08 < 03-09
    { visit: { status: "PLANNED", dueOn: "2025-03-01" }, today: "2025-03-09", grace: 7, expected: true },
    { visit: { status: "SCHEDULED", dueOn: "2025-03-01" }, today: "2025-03-09", grace: 7, expected: true },
    { visit: { status: "PLANNED", dueOn: "2025-03-01" }, today: "2025-03-01", grace: 0, expected: false },
    { visit: { status: "PLANNED", dueOn: "2025-03-01" }, today: "2025-03-02", grace: 0, expected: true },
    // only open visits can be missed
    { visit: { status: "DONE", dueOn: "2025-03-01" }, today: "2025-06-01", grace: 7, expected: false },
    { visit: { status: "CANCELLED", dueOn: "2025-03-01" }, today: "2025-06-01", grace: 7, expected: false },
    { visit: { status: "MISSED", dueOn: "2025-03-01" }, today: "2025-06-01", grace: 7, expected: false },
  ] as const)("$visit.status due $visit.dueOn, $grace days' grace, on $today: $expected", ({ visit, today, grace, expected }) => {
    expect(isMissed(visit, today, grace)).toBe(expected);
  });
});

describe("visitsToCreate on a fixed schedule", () => {
  // Quarterly from 2025-01-31: visit n is due on 2025-01-31 + 3n months (clamped), less a day:
  // 04-29 (04-30, no 31 April, less a day), 07-30, 10-30 and 2026-01-30, the term's last day; 2026-04-29 is after it.
  it.each([
    {
      name: "the first visit, inside the lead window",
      plan: plan({}),
      existing: [],
      today: "2025-04-01",
      lead: 30,
      // window ends 2025-05-01; visit 1 is due 2025-01-31 + 3 months, clamped to 2025-04-30, less a day = 2025-04-29
      expected: [{ sequence: 1, dueOn: "2025-04-29" }],
    },
    {
      name: "due on the last day of the window",
      plan: plan({}),
      existing: [],
      today: "2025-03-30",
      lead: 30,
      // 2025-03-30 + 30 = 2025-04-29
      expected: [{ sequence: 1, dueOn: "2025-04-29" }],
    },
    {
      name: "due the day after the window",
      plan: plan({}),
      existing: [],
      today: "2025-03-29",
      lead: 30,
      // 2025-03-29 + 30 = 2025-04-28, the day before 04-29
      expected: [],
    },
    {
      name: "counted from the start, so a plan starting on the 1st keeps the month's last day",
      plan: plan({ startsOn: "2025-01-01", endsOn: "2025-12-31", visitsPerYear: 12 }),
      existing: visits("1:2025-01-31", "2:2025-02-28"),
      today: "2025-03-20",
      lead: 14,
      // window ends 2025-04-03; 2025-01-01 + 3 months = 2025-04-01, less a day = 2025-03-31,
      // not 2025-02-28 + 1 month = 03-28; visit 4 (05-01 less a day = 04-30) is beyond the window
      expected: [{ sequence: 3, dueOn: "2025-03-31" }],
    },
    {
      name: "an overdue visit never created is created late",
      plan: plan({}),
      existing: visits("1:2025-04-29:DONE:2025-05-02"),
      today: "2025-08-15",
      lead: 14,
      // 2 (07-31 less a day = 07-30) is overdue; 3 (10-31 less a day = 10-30) is beyond 2025-08-29
      expected: [{ sequence: 2, dueOn: "2025-07-30" }],
    },
    {
      name: "all overdue visits at once, the last on the term's last day, none after it",
      plan: plan({}),
      existing: [],
      today: "2026-06-01",
      lead: 0,
      // 4 is due 2025-01-31 + 12 months = 2026-01-31, less a day = 2026-01-30, the last day;
      // 5 is due 2026-04-30 less a day = 2026-04-29 > 2026-01-30
      expected: [
        { sequence: 1, dueOn: "2025-04-29" },
        { sequence: 2, dueOn: "2025-07-30" },
        { sequence: 3, dueOn: "2025-10-30" },
        { sequence: 4, dueOn: "2026-01-30" },
      ],
    },
    {
      name: "only the sequences not yet created",
      plan: plan({}),
      existing: visits("2:2025-07-30:SCHEDULED"),
      today: "2025-11-01",
      lead: 0,
      // 1 (04-29) and 3 (10-30) are due by 11-01; 4 (2026-01-30) is not
      expected: [
        { sequence: 1, dueOn: "2025-04-29" },
        { sequence: 3, dueOn: "2025-10-30" },
      ],
    },
    {
      name: "monthly visits: two inside a 60-day window",
      plan: plan({ startsOn: "2025-01-15", endsOn: "2026-01-14", visitsPerYear: 12 }),
      existing: [],
      today: "2025-02-01",
      lead: 60,
      // window ends 2025-04-02: 02-15 less a day = 02-14 and 03-15 less a day = 03-14 fall in it, 04-14 does not
      expected: [
        { sequence: 1, dueOn: "2025-02-14" },
        { sequence: 2, dueOn: "2025-03-14" },
      ],
    },
    {
      name: "nothing due on or after the cancellation",
      plan: plan({ cancelledFrom: "2025-07-30" }),
      existing: [],
      today: "2025-12-01",
      lead: 0,
      // visit 2 (07-31 less a day = 07-30) is due on the day the cancellation takes effect
      expected: [{ sequence: 1, dueOn: "2025-04-29" }],
    },
    {
      name: "a visit due the day before the cancellation is still created",
      plan: plan({ cancelledFrom: "2025-07-31" }),
      existing: visits("1:2025-04-29:DONE:2025-04-29"),
      today: "2025-12-01",
      lead: 0,
      // visit 2 is due 2025-07-30 < 07-31; visit 3 (10-30) is after the cancellation
      expected: [{ sequence: 2, dueOn: "2025-07-30" }],
    },
    {
      name: "a yearly visit on a one-year term falls on the term's last day",
      plan: plan({ startsOn: "2025-01-01", endsOn: "2025-12-31", visitsPerYear: 1 }),
      existing: [],
      today: "2026-03-01",
      lead: 0,
      // 2025-01-01 + 12 months = 2026-01-01, less a day = 2025-12-31, the last day
      expected: [{ sequence: 1, dueOn: "2025-12-31" }],
    },
    {
      name: "two visits a year on a one-year term: at the end of month 6 and of month 12",
      plan: plan({ startsOn: "2025-01-01", endsOn: "2025-12-31", visitsPerYear: 2 }),
      existing: [],
      today: "2026-03-01",
      lead: 0,
      // 2025-01-01 + 6 months = 07-01, less a day = 06-30; + 12 months = 2026-01-01, less a day = 2025-12-31
      expected: [
        { sequence: 1, dueOn: "2025-06-30" },
        { sequence: 2, dueOn: "2025-12-31" },
      ],
    },
  ])("$name", ({ plan: p, existing, today, lead, expected }) => {
    expect(visitsToCreate(p, existing, today, lead)).toEqual(expected);
  });
});

describe("visitsToCreate on a floating schedule", () => {
  // Twice a year from 2025-01-15 for two years: the first visit is due 2025-01-15 + 6 months = 07-15, less a day
  // = 2025-07-14, like on a fixed schedule; each later one six months after the last one's completion.
  const floating = plan({ startsOn: "2025-01-15", endsOn: "2027-01-14", visitsPerYear: 2, floating: true });
  it.each([
    {
      name: "the first visit on the last day of the first interval",
      existing: [],
      today: "2025-07-01",
      lead: 30,
      // window ends 2025-07-31; 2025-01-15 + 6 months = 07-15, less a day = 07-14
      expected: [{ sequence: 1, dueOn: "2025-07-14" }],
    },
    {
      name: "the first visit not yet in the window",
      existing: [],
      today: "2025-06-01",
      lead: 30,
      // window ends 2025-07-01, before 07-14
      expected: [],
    },
    {
      name: "nothing while the last visit is planned",
      existing: visits("1:2025-07-14:PLANNED"),
      today: "2026-06-01",
      lead: 30,
      expected: [],
    },
    {
      name: "nothing while the last visit is scheduled, even long overdue",
      existing: visits("1:2025-07-14:SCHEDULED"),
      today: "2026-06-01",
      lead: 30,
      expected: [],
    },
    {
      name: "six months after the last visit was done",
      existing: visits("1:2025-07-14:DONE:2025-08-02"),
      today: "2026-01-10",
      lead: 30,
      // 2025-08-02 + 6 months = 2026-02-02, inside the window ending 2026-02-09
      expected: [{ sequence: 2, dueOn: "2026-02-02" }],
    },
    {
      name: "done late: the next one moves later and is not yet in the window",
      existing: visits("1:2025-07-14:DONE:2025-08-02"),
      today: "2025-12-20",
      lead: 30,
      // window ends 2026-01-19, the visit is due 2026-02-02
      expected: [],
    },
    {
      name: "done early: the next one moves earlier",
      existing: visits("1:2025-07-14:DONE:2025-07-01"),
      today: "2025-12-10",
      lead: 30,
      // 2025-07-01 + 6 months
      expected: [{ sequence: 2, dueOn: "2026-01-01" }],
    },
    {
      name: "done on the 31st: clamped to the month's last day",
      existing: visits("1:2025-07-14:DONE:2025-08-31"),
      today: "2026-02-01",
      lead: 30,
      // 2025-08-31 + 6 months = 2026-02-28
      expected: [{ sequence: 2, dueOn: "2026-02-28" }],
    },
    {
      name: "after a missed visit, from its due date",
      existing: visits("1:2025-07-14:MISSED"),
      today: "2026-01-01",
      lead: 30,
      // 2025-07-14 + 6 months
      expected: [{ sequence: 2, dueOn: "2026-01-14" }],
    },
    {
      name: "after a cancelled visit, from its due date",
      existing: visits("1:2025-07-14:CANCELLED"),
      today: "2026-01-01",
      lead: 30,
      // 2025-07-14 + 6 months
      expected: [{ sequence: 2, dueOn: "2026-01-14" }],
    },
    {
      name: "the latest visit by sequence decides, whatever the order given",
      existing: visits("2:2026-01-14:DONE:2026-01-20", "1:2025-07-14:DONE:2025-07-14"),
      today: "2026-07-01",
      lead: 30,
      // 2026-01-20 + 6 months
      expected: [{ sequence: 3, dueOn: "2026-07-20" }],
    },
    {
      name: "nothing due after the last day",
      existing: visits("3:2026-07-20:DONE:2026-08-01"),
      today: "2027-03-01",
      lead: 30,
      // 2026-08-01 + 6 months = 2027-02-01 > 2027-01-14
      expected: [],
    },
    {
      name: "a visit marked done without a completion date counts from its due date",
      existing: visits("1:2025-07-14:DONE"),
      today: "2026-01-01",
      lead: 30,
      // 2025-07-14 + 6 months
      expected: [{ sequence: 2, dueOn: "2026-01-14" }],
    },
  ])("$name", ({ existing, today, lead, expected }) => {
    expect(visitsToCreate(floating, existing, today, lead)).toEqual(expected);
  });

  it("stops at the cancellation", () => {
    const cancelled = { ...floating, cancelledFrom: "2026-01-14" };
    // the visit after the missed one (2025-07-14 + 6 months = 2026-01-14) is due on the day the cancellation takes effect
    expect(visitsToCreate(cancelled, visits("1:2025-07-14:MISSED"), "2026-01-01", 30)).toEqual([]);
  });
});

describe("visitsToCreate, called again", () => {
  const asPlanned = (created: { sequence: number; dueOn: string }[]): ExistingVisit[] => created.map((v) => ({ ...v, status: "PLANNED", completedOn: null }));

  it.each([
    { name: "a fixed schedule with several due at once", plan: plan({}), existing: [], today: "2026-06-01", lead: 0 },
    { name: "a fixed schedule with one in the window", plan: plan({}), existing: visits("1:2025-04-29:DONE:2025-05-01"), today: "2025-07-20", lead: 14 },
    {
      name: "a floating schedule",
      plan: plan({ floating: true }),
      existing: visits("1:2025-04-29:DONE:2025-05-10"),
      today: "2025-08-01",
      lead: 30,
    },
  ])("creates nothing twice: $name", ({ plan: p, existing, today, lead }) => {
    const created = visitsToCreate(p, existing, today, lead);
    expect(created.length).toBeGreaterThan(0);
    expect(visitsToCreate(p, [...existing, ...asPlanned(created)], today, lead)).toEqual([]);
  });

  it("run daily over a fixed term, creates each visit once, leadDays ahead", () => {
    const p = plan({});
    const existing: ExistingVisit[] = [];
    const createdOn = new Map<number, string>();
    for (let today = "2025-01-31"; today <= "2026-03-01"; today = addDays(today, 1)) {
      for (const v of visitsToCreate(p, existing, today, 14)) {
        createdOn.set(v.sequence, today);
        existing.push({ ...v, status: "PLANNED", completedOn: null });
      }
    }
    // the fourth on the term's last day, 2026-01-30
    expect(existing.map((v) => v.dueOn)).toEqual(["2025-04-29", "2025-07-30", "2025-10-30", "2026-01-30"]);
    // each one exactly 14 days ahead of its due date
    expect([...createdOn.values()]).toEqual(["2025-04-15", "2025-07-16", "2025-10-16", "2026-01-16"]);
  });

  it("run daily over a floating term, creates the next visit only once the last is done", () => {
    const p = plan({ startsOn: "2025-01-15", endsOn: "2027-01-14", visitsPerYear: 2, floating: true });
    const existing: ExistingVisit[] = [];
    for (let today = "2025-01-15"; today <= "2027-03-01"; today = addDays(today, 1)) {
      // the technician comes 10 days after each due date
      for (const v of existing) if (v.status === "PLANNED" && addDays(v.dueOn, 10) === today) Object.assign(v, { status: "DONE", completedOn: today });
      existing.push(...visitsToCreate(p, existing, today, 14).map((v) => ({ ...v, status: "PLANNED" as const, completedOn: null })));
    }
    // 07-15 less a day = 07-14, done 07-24 → 2026-01-24, done 02-03 → 2026-08-03, done 08-13 → 2027-02-13 is after the last day
    expect(existing.map((v) => `${v.sequence}:${v.dueOn}:${v.completedOn}`)).toEqual([
      "1:2025-07-14:2025-07-24",
      "2:2026-01-24:2026-02-03",
      "3:2026-08-03:2026-08-13",
    ]);
  });
});
