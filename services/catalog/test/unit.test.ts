import { describe, expect, it } from "vitest";
import { applyUnitEvent, type UnitEventKind, type UnitState, type UnitStatus } from "../src/domain/unit.js";

/** The unit's last event was on 2025-03-01; "today" allows up to 2025-06-02 (UTC tomorrow). */
const LAST_EVENT_ON = "2025-03-01";
const LATEST_PAST_DATE = "2025-06-02";

const unitThatIs = (status: UnitStatus, dates: Partial<Pick<UnitState, "deliveredOn" | "installedOn">> = {}): UnitState => ({
  status,
  deliveredOn: null,
  installedOn: null,
  lastEventOn: LAST_EVENT_ON,
  ...dates,
});

const STATUSES: UnitStatus[] = ["IN_STOCK", "SOLD", "DELIVERED", "INSTALLED", "IN_REPAIR", "RETIRED"];

/** Every transition the installed base allows, written out by hand: the rules a dealer relies on. */
const ALLOWED: { kind: UnitEventKind; from: UnitStatus; to: UnitStatus }[] = [
  { kind: "SOLD", from: "IN_STOCK", to: "SOLD" },
  { kind: "DELIVERED", from: "SOLD", to: "DELIVERED" },
  { kind: "INSTALLED", from: "SOLD", to: "INSTALLED" },
  { kind: "INSTALLED", from: "DELIVERED", to: "INSTALLED" },
  { kind: "COMMISSIONED", from: "INSTALLED", to: "INSTALLED" },
  { kind: "OWNER_TRAINED", from: "DELIVERED", to: "DELIVERED" },
  { kind: "OWNER_TRAINED", from: "INSTALLED", to: "INSTALLED" },
  { kind: "REPAIR_STARTED", from: "SOLD", to: "IN_REPAIR" },
  { kind: "REPAIR_STARTED", from: "DELIVERED", to: "IN_REPAIR" },
  { kind: "REPAIR_STARTED", from: "INSTALLED", to: "IN_REPAIR" },
  { kind: "REPAIRED", from: "IN_REPAIR", to: "SOLD" },
  { kind: "UPGRADED", from: "DELIVERED", to: "DELIVERED" },
  { kind: "UPGRADED", from: "INSTALLED", to: "INSTALLED" },
  { kind: "TRANSFERRED", from: "SOLD", to: "SOLD" },
  { kind: "TRANSFERRED", from: "DELIVERED", to: "DELIVERED" },
  { kind: "TRANSFERRED", from: "INSTALLED", to: "INSTALLED" },
  { kind: "RETIRED", from: "IN_STOCK", to: "RETIRED" },
  { kind: "RETIRED", from: "SOLD", to: "RETIRED" },
  { kind: "RETIRED", from: "DELIVERED", to: "RETIRED" },
  { kind: "RETIRED", from: "INSTALLED", to: "RETIRED" },
  { kind: "RETIRED", from: "IN_REPAIR", to: "RETIRED" },
];

const KINDS: UnitEventKind[] = [
  "REGISTERED",
  "SOLD",
  "DELIVERED",
  "INSTALLED",
  "COMMISSIONED",
  "OWNER_TRAINED",
  "REPAIR_STARTED",
  "REPAIRED",
  "UPGRADED",
  "TRANSFERRED",
  "RETIRED",
];

describe("applyUnitEvent", () => {
  it.each(ALLOWED)("$kind takes a unit from $from to $to", ({ kind, from, to }) => {
    const change = applyUnitEvent(unitThatIs(from), kind, "2025-04-01", LATEST_PAST_DATE);
    expect(change).toMatchObject({ status: to });
  });

  it.each([
    { kind: "DELIVERED", from: "IN_STOCK", why: "a unit in stock has not been sold" },
    { kind: "SOLD", from: "SOLD", why: "a unit is sold once" },
    { kind: "INSTALLED", from: "IN_STOCK", why: "a unit in stock is not at a customer" },
    { kind: "COMMISSIONED", from: "DELIVERED", why: "commissioning follows installation" },
    { kind: "REPAIR_STARTED", from: "IN_STOCK", why: "repairs are for owned units" },
    { kind: "REPAIR_STARTED", from: "IN_REPAIR", why: "a repair is already under way" },
    { kind: "REPAIRED", from: "INSTALLED", why: "no repair was started" },
    { kind: "TRANSFERRED", from: "IN_STOCK", why: "a unit in stock has no owner to hand it on" },
    { kind: "TRANSFERRED", from: "IN_REPAIR", why: "a unit in the workshop does not change hands" },
    { kind: "UPGRADED", from: "SOLD", why: "the unit has not reached the customer" },
    { kind: "RETIRED", from: "RETIRED", why: "retirement is final" },
    { kind: "DELIVERED", from: "RETIRED", why: "nothing happens to a retired unit" },
    { kind: "REGISTERED", from: "IN_STOCK", why: "a unit is registered once, by registerUnit" },
  ] satisfies { kind: UnitEventKind; from: UnitStatus; why: string }[])("refuses $kind on a unit that is $from: $why", ({ kind, from }) => {
    const refused = applyUnitEvent(unitThatIs(from), kind, "2025-04-01", LATEST_PAST_DATE);
    expect(refused).toEqual([{ code: "INVALID_TRANSITION", message: expect.stringContaining(from), field: ["kind"] }]);
  });

  it("refuses every event and status not in the table of allowed transitions", () => {
    const allowed = new Set(ALLOWED.map(({ kind, from }) => `${kind} ${from}`));
    const refused = KINDS.flatMap((kind) => STATUSES.map((from) => ({ kind, from }))).filter(({ kind, from }) => !allowed.has(`${kind} ${from}`));
    const outcomes = refused.map(({ kind, from }) => {
      const result = applyUnitEvent(unitThatIs(from), kind, "2025-04-01", LATEST_PAST_DATE);
      return `${kind} ${from}: ${Array.isArray(result) ? result.map((e) => e.code).join(", ") : result.status}`;
    });
    expect(refused).toHaveLength(KINDS.length * STATUSES.length - ALLOWED.length);
    expect(outcomes).toEqual(refused.map(({ kind, from }) => `${kind} ${from}: INVALID_TRANSITION`));
  });

  it.each([
    { back: "INSTALLED", dates: { deliveredOn: "2025-01-10", installedOn: "2025-01-12" }, was: "delivered and installed" },
    { back: "INSTALLED", dates: { installedOn: "2025-01-12" }, was: "installed on the day of sale, without a delivery" },
    { back: "DELIVERED", dates: { deliveredOn: "2025-01-10" }, was: "delivered, not yet installed" },
    { back: "SOLD", dates: {}, was: "sold, neither delivered nor installed" },
  ] satisfies { back: UnitStatus; dates: Partial<UnitState>; was: string }[])("returns a repaired unit to $back when it was $was", ({ back, dates }) => {
    const change = applyUnitEvent(unitThatIs("IN_REPAIR", dates), "REPAIRED", "2025-04-01", LATEST_PAST_DATE);
    expect(change).toEqual({ status: back, dates: {} });
  });

  it.each([
    { kind: "SOLD", from: "IN_STOCK", dates: { soldOn: "2025-04-01" } },
    { kind: "DELIVERED", from: "SOLD", dates: { deliveredOn: "2025-04-01" } },
    { kind: "INSTALLED", from: "DELIVERED", dates: { installedOn: "2025-04-01" } },
    { kind: "RETIRED", from: "INSTALLED", dates: { retiredOn: "2025-04-01" } },
    { kind: "COMMISSIONED", from: "INSTALLED", dates: {} },
    { kind: "OWNER_TRAINED", from: "DELIVERED", dates: {} },
    { kind: "REPAIR_STARTED", from: "INSTALLED", dates: {} },
    { kind: "REPAIRED", from: "IN_REPAIR", dates: {} },
    { kind: "UPGRADED", from: "INSTALLED", dates: {} },
    { kind: "TRANSFERRED", from: "SOLD", dates: {} },
  ] satisfies { kind: UnitEventKind; from: UnitStatus; dates: Record<string, string> }[])("$kind sets the dates $dates", ({ kind, from, dates }) => {
    const change = applyUnitEvent(unitThatIs(from), kind, "2025-04-01", LATEST_PAST_DATE);
    expect(change).toMatchObject({ dates });
    expect(!Array.isArray(change) && Object.keys(change.dates)).toEqual(Object.keys(dates));
  });

  it.each([
    { occurredOn: "2025-02-28", outcome: "BEFORE_LAST_EVENT", when: "the day before the last event" },
    { occurredOn: "2024-12-31", outcome: "BEFORE_LAST_EVENT", when: "months before the last event" },
    { occurredOn: "2025-03-01", outcome: "DELIVERED", when: "the same day as the last event" },
    { occurredOn: "2025-06-02", outcome: "DELIVERED", when: "the latest past date (tomorrow in UTC)" },
    { occurredOn: "2025-06-03", outcome: "DATE_IN_FUTURE", when: "the day after the latest past date" },
    { occurredOn: "2026-01-01", outcome: "DATE_IN_FUTURE", when: "next year" },
  ])("an event dated $when ($occurredOn): $outcome", ({ occurredOn, outcome }) => {
    const result = applyUnitEvent(unitThatIs("SOLD"), "DELIVERED", occurredOn, LATEST_PAST_DATE);
    if (outcome === "DELIVERED") {
      expect(result).toEqual({ status: "DELIVERED", dates: { deliveredOn: occurredOn } });
    } else {
      expect(result).toEqual([{ code: outcome, message: expect.stringContaining(occurredOn), field: ["occurredOn"] }]);
    }
  });

  it("names the unit's last event date when refusing an earlier one", () => {
    const refused = applyUnitEvent(unitThatIs("SOLD"), "DELIVERED", "2025-02-01", LATEST_PAST_DATE);
    expect(refused).toMatchObject([{ code: "BEFORE_LAST_EVENT", message: expect.stringContaining(LAST_EVENT_ON) }]);
  });

  it.each([
    { occurredOn: "2030-01-01", date: "DATE_IN_FUTURE" },
    { occurredOn: "2025-02-01", date: "BEFORE_LAST_EVENT" },
  ])("reports a transition the status does not allow and a date that is $date together", ({ occurredOn, date }) => {
    const refused = applyUnitEvent(unitThatIs("IN_STOCK"), "DELIVERED", occurredOn, LATEST_PAST_DATE);
    expect(refused).toEqual([
      expect.objectContaining({ code: "INVALID_TRANSITION", field: ["kind"] }),
      expect.objectContaining({ code: date, field: ["occurredOn"] }),
    ]);
  });
});
