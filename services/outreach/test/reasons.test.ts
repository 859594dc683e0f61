import { describe, expect, it } from "vitest";
import { outcomeProblems, statusAfter, type OutcomeDraft } from "../src/domain/outcome.js";
import {
  channelsOf,
  contactDueOn,
  isDetractor,
  leadingFirst,
  levelAllows,
  maintenanceDueOn,
  partsGuaranteeDueOn,
  priorityOf,
  partsGuaranteeEndingSoon,
  REASON_KINDS,
  RELATIONSHIP_LEVELS,
  type ReasonKind,
  type RelationshipLevel,
  warrantyEndingDueOn,
} from "../src/domain/reasons.js";

describe("levelAllows", () => {
  const allowed: Record<RelationshipLevel, readonly ReasonKind[]> = {
    BASIC: [],
    REACTIVE: [],
    // The visit the customer's contract pays for is a service, not an offer.
    RESPONSIBLE: ["COMPLAINT", "DETRACTOR", "POST_SALE_CHECK_IN", "MAINTENANCE_DUE"],
    ACTIVE: REASON_KINDS,
  };
  it.each(RELATIONSHIP_LEVELS)("lets a %s customer get exactly its reasons", (level) => {
    expect(REASON_KINDS.filter((kind) => levelAllows(level, kind))).toEqual([...allowed[level]]);
  });
});

describe("isDetractor", () => {
  it.each([
    ["NPS", 0, true],
    ["NPS", 6, true],
    ["NPS", 7, false],
    ["CSAT", 1, true],
    ["CSAT", 2, true],
    ["CSAT", 3, false],
    ["POST_SALE", 2, true],
    ["POST_SALE", 5, false],
  ] as const)("%s %i is a detractor: %s", (kind, score, detractor) => {
    expect(isDetractor(kind, score)).toBe(detractor);
  });
});

describe("channelsOf", () => {
  it.each([
    [{ phone: true, email: true }, ["PHONE", "EMAIL"]],
    [{ phone: false, email: true }, ["EMAIL"]],
    [{ phone: false, email: false }, []],
  ] as const)("%o consents to %o", (consent, channels) => {
    expect(channelsOf(consent)).toEqual(channels);
  });
});

describe("leadingFirst", () => {
  it("puts the most urgent kind first, then the soonest due, then the id", () => {
    const reasons = [
      { id: "c", kind: "REFILL_DUE" as const, dueOn: "2026-01-01" },
      { id: "b", kind: "COMPLAINT" as const, dueOn: "2026-03-01" },
      { id: "a", kind: "COMPLAINT" as const, dueOn: "2026-03-01" },
      { id: "d", kind: "COMPLAINT" as const, dueOn: "2026-02-01" },
    ];
    expect(leadingFirst(reasons).map((r) => r.id)).toEqual(["d", "a", "b", "c"]);
  });
});

describe("warranty and maintenance reasons", () => {
  it("rank a visit to book before a refill, and a contract before the product offers, which have no deadline", () => {
    const reasons = (["PRODUCT_DISCONTINUED", "WARRANTY_ENDING", "REFILL_DUE", "MAINTENANCE_DUE", "POST_SALE_CHECK_IN"] as const).map((kind) => ({
      id: kind,
      kind,
      dueOn: "2026-05-01",
    }));
    expect(leadingFirst(reasons).map((r) => r.kind)).toEqual([
      "POST_SALE_CHECK_IN",
      "MAINTENANCE_DUE",
      "REFILL_DUE",
      "WARRANTY_ENDING",
      "PRODUCT_DISCONTINUED",
    ]);
  });
  it("are a medium-priority reminder and a low-priority offer", () => {
    expect(priorityOf("MAINTENANCE_DUE")).toBe("MEDIUM");
    expect(priorityOf("WARRANTY_ENDING")).toBe("LOW");
  });
  it.each([
    ["2026-08-15", "2026-07-01"],
    ["2026-07-20", "2026-06-05"],
    ["2026-07-10", "2026-06-05"],
  ])("offer a contract for a warranty ending on %s on %s (45 days ahead, or at once from 2026-06-05)", (endsOn, due) => {
    expect(warrantyEndingDueOn(endsOn, "2026-06-05")).toBe(due);
  });
  it.each([
    ["2026-07-05", "2026-06-14"],
    ["2026-06-20", "2026-06-05"],
  ])("ask to book a visit due on %s on %s (three weeks ahead, or at once from 2026-06-05)", (visitDueOn, due) => {
    expect(maintenanceDueOn(visitDueOn, "2026-06-05")).toBe(due);
  });
});

describe("contactDueOn", () => {
  const reasons = [
    { id: "a", kind: "REFILL_DUE" as const, dueOn: "2026-05-20" },
    { id: "b", kind: "COMPLAINT" as const, dueOn: "2026-05-10" },
  ];
  it.each([
    [null, 30, "2026-05-10"],
    ["2026-03-01", 30, "2026-05-10"],
    ["2026-05-01", 30, "2026-05-31"],
    ["2026-05-09", 1, "2026-05-10"],
  ] as const)("after a contact on %s with an interval of %i days: %s", (lastContactOn, interval, due) => {
    expect(contactDueOn(reasons, lastContactOn, interval)).toBe(due);
  });
});

describe("parts guarantees", () => {
  it.each([
    [null, false],
    ["2026-05-31", false],
    ["2026-06-01", true],
    ["2027-06-01", true],
    ["2027-06-02", false],
  ] as const)("ending on %s is within a year of 2026-06-01: %s", (until, soon) => {
    expect(partsGuaranteeEndingSoon(until, "2026-06-01")).toBe(soon);
  });
  it("offers the successor a quarter before the end, or at once when that has passed", () => {
    expect(partsGuaranteeDueOn("2027-01-01", "2026-06-01")).toBe("2026-10-03");
    expect(partsGuaranteeDueOn("2026-07-01", "2026-06-01")).toBe("2026-06-01");
  });
});

describe("outcomeProblems", () => {
  const draft = (overrides: Partial<OutcomeDraft>): OutcomeDraft => ({ outcome: "CONTACTED", channel: "PHONE", conversion: null, ...overrides });
  const codes = (overrides: Partial<OutcomeDraft>, consented: ("PHONE" | "EMAIL")[] = ["PHONE", "EMAIL"]) =>
    outcomeProblems(draft(overrides), consented).map((p) => p.code);
  const CONTRACT = { kind: "CONTRACT" as const, id: "sct_01JD3QD5F7H9K1M3P5R7T9V1X3" };

  it.each([
    [{}, []],
    [{ outcome: "CONVERTED" as const, conversion: CONTRACT }, []],
    [{ outcome: "CONVERTED" as const }, ["CONVERSION_REQUIRED"]],
    [{ outcome: "DECLINED" as const, conversion: CONTRACT }, ["CONVERSION_NOT_ALLOWED"]],
    [{ outcome: "CONVERTED" as const, conversion: { kind: "VISIT" as const, id: CONTRACT.id } }, ["INVALID_CONVERSION_ID"]],
    [{ channel: null }, ["CHANNEL_REQUIRED"]],
    [{ outcome: "NOT_APPLICABLE" as const, channel: null }, []],
  ])("%o: %o", (overrides, expected) => {
    expect(codes(overrides)).toEqual(expected);
  });
  it("refuses a channel the customer did not consent to", () => {
    expect(codes({ channel: "EMAIL" }, ["PHONE"])).toEqual(["CHANNEL_NOT_ALLOWED"]);
  });
  it("keeps an item open after no answer and closes it on any other outcome", () => {
    expect(statusAfter("NO_ANSWER")).toBe("OPEN");
    expect(statusAfter("CONVERTED")).toBe("CONVERTED");
  });
});
