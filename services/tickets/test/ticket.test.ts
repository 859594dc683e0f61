import { InputChecks } from "@aftersales/kit";
import { describe, expect, it } from "vitest";
import { CHANNELS, checkTicketDraft, describeChange, KINDS, PRIORITIES, ticketNumber, type TicketDraft, type TimelineChange } from "../src/domain/ticket.js";

/** The codes a tickets error enum carries beside the common ones; checkTicketDraft must accept a wider enum than its own. */
type Code = "INVALID_FORMAT" | "TICKET_NOT_FOUND";

/** The refusals collected, as `CODE path.to.field`, to keep the tables readable. */
const found = (checks: InputChecks<Code>): string[] => checks.errors.map((e) => `${e.code} ${e.field?.join(".") ?? "-"}`);

const draft = (texts: Partial<TicketDraft> = {}): TicketDraft => ({
  kind: "REPAIR",
  channel: "PHONE",
  priority: "P3",
  subject: "Heat pump shows E42",
  description: null,
  failureCode: null,
  ...texts,
});

describe("checkTicketDraft", () => {
  it.each<{ name: string; texts: Partial<TicketDraft>; errors: string[] }>([
    { name: "a subject alone", texts: {}, errors: [] },
    { name: "a subject of 200 characters", texts: { subject: "x".repeat(200) }, errors: [] },
    { name: "a subject of 201 characters", texts: { subject: "x".repeat(201) }, errors: ["TOO_LONG subject"] },
    { name: "200 characters within spaces", texts: { subject: ` ${"x".repeat(200)} ` }, errors: [] },
    { name: "no subject", texts: { subject: "" }, errors: ["REQUIRED subject"] },
    { name: "a blank subject", texts: { subject: " \n\t " }, errors: ["REQUIRED subject"] },
    { name: "a description of 5000 characters", texts: { description: "x".repeat(5000) }, errors: [] },
    { name: "a description of 5001 characters", texts: { description: "x".repeat(5001) }, errors: ["TOO_LONG description"] },
    { name: "a failure code", texts: { failureCode: "E42-PUMP" }, errors: [] },
    { name: "a failure code of 32 characters", texts: { failureCode: "A".repeat(32) }, errors: [] },
    { name: "a failure code of 33 characters", texts: { failureCode: "A".repeat(33) }, errors: ["INVALID_FORMAT failureCode"] },
    { name: "a failure code starting with a dash", texts: { failureCode: "-E42" }, errors: ["INVALID_FORMAT failureCode"] },
    { name: "a failure code with a space", texts: { failureCode: "E 42" }, errors: ["INVALID_FORMAT failureCode"] },
    { name: "a failure code with a slash", texts: { failureCode: "E42/PUMP" }, errors: ["INVALID_FORMAT failureCode"] },
    { name: "a failure code with an umlaut", texts: { failureCode: "PUMPE-ÜBER" }, errors: ["INVALID_FORMAT failureCode"] },
    // a REPAIR needs no unit: the caller often cannot name it yet
    { name: "a repair without a unit", texts: { kind: "REPAIR", failureCode: "E42" }, errors: [] },
    {
      name: "every problem at once",
      texts: { subject: " ", description: "x".repeat(5001), failureCode: "E 42" },
      errors: ["REQUIRED subject", "TOO_LONG description", "INVALID_FORMAT failureCode"],
    },
  ])("$name", ({ texts, errors }) => {
    const checks = new InputChecks<Code>();
    checkTicketDraft(checks, draft(texts));
    expect(found(checks)).toEqual(errors);
  });

  it.each<{ name: string; texts: Partial<TicketDraft>; checked: Partial<TicketDraft> }>([
    { name: "trims the subject", texts: { subject: "  Heat pump shows E42 \n" }, checked: { subject: "Heat pump shows E42" } },
    { name: "trims the description", texts: { description: "\n Noisy at night. \n" }, checked: { description: "Noisy at night." } },
    { name: "keeps the description's inner lines", texts: { description: "Noisy.\n\nSince Monday." }, checked: { description: "Noisy.\n\nSince Monday." } },
    { name: "turns a blank description into none", texts: { description: "   " }, checked: { description: null } },
    { name: "upper-cases and trims the failure code", texts: { failureCode: " e42.pump_1 " }, checked: { failureCode: "E42.PUMP_1" } },
    { name: "turns a blank failure code into none", texts: { failureCode: "  " }, checked: { failureCode: null } },
    { name: "turns an empty failure code into none", texts: { failureCode: "" }, checked: { failureCode: null } },
  ])("$name", ({ texts, checked }) => {
    const checks = new InputChecks<Code>();
    expect(checkTicketDraft(checks, draft(texts))).toEqual(draft({ ...texts, ...checked }));
    expect(checks.ok).toBe(true);
  });

  it("keeps kind, channel and priority as given", () => {
    const checks = new InputChecks<Code>();
    const given = draft({ kind: "INSTALLATION", channel: "DEALER_API", priority: "P1" });
    expect(checkTicketDraft(checks, given)).toMatchObject({ kind: "INSTALLATION", channel: "DEALER_API", priority: "P1" });
  });

  it("says what a failure code looks like", () => {
    const checks = new InputChecks<Code>();
    checkTicketDraft(checks, draft({ failureCode: "E 42" }));
    expect(checks.errors).toEqual([
      { code: "INVALID_FORMAT", message: "A failure code is 1 to 32 upper-case letters, digits and `-_.`, e.g. E42-PUMP.", field: ["failureCode"] },
    ]);
  });
});

describe("ticketNumber", () => {
  it.each([
    { sequence: 42, openedAt: "2026-03-01T10:00:00Z", number: "T-2026-000042" },
    { sequence: 1, openedAt: "2026-01-01T00:00:00Z", number: "T-2026-000001" },
    { sequence: 999999, openedAt: "2026-06-15T12:00:00Z", number: "T-2026-999999" },
    // a seventh digit is added, never cut
    { sequence: 1000000, openedAt: "2026-06-15T12:00:00Z", number: "T-2026-1000000" },
    // the year is UTC's: still 2026 in UTC while it is already 2027 in Berlin
    { sequence: 7, openedAt: "2026-12-31T23:30:00Z", number: "T-2026-000007" },
    { sequence: 7, openedAt: "2026-12-31T23:30:00-02:00", number: "T-2027-000007" },
  ])("$sequence opened $openedAt: $number", ({ sequence, openedAt, number }) => {
    expect(ticketNumber(sequence, new Date(openedAt))).toBe(number);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])("treats sequence value %s as a bug", (sequence) => {
    expect(() => ticketNumber(sequence, new Date("2026-03-01T10:00:00Z"))).toThrow(RangeError);
  });
});

describe("describeChange", () => {
  it.each<{ change: TimelineChange; sentence: string }>([
    { change: { kind: "OPENED" }, sentence: "Ticket opened." },
    { change: { kind: "STATUS", from: "ASSIGNED", to: "IN_PROGRESS" }, sentence: "Status changed from ASSIGNED to IN_PROGRESS." },
    { change: { kind: "STATUS", from: "IN_PROGRESS", to: "WAITING_PARTS" }, sentence: "Status changed from IN_PROGRESS to WAITING_PARTS." },
    { change: { kind: "STATUS", from: "RESOLVED", to: "CLOSED" }, sentence: "Status changed from RESOLVED to CLOSED." },
    { change: { kind: "STATUS", from: "RESOLVED", to: "IN_PROGRESS" }, sentence: "Ticket reopened: status changed from RESOLVED to IN_PROGRESS." },
    { change: { kind: "PRIORITY", from: "P3", to: "P1" }, sentence: "Priority raised from P3 to P1." },
    { change: { kind: "PRIORITY", from: "P1", to: "P4" }, sentence: "Priority lowered from P1 to P4." },
    { change: { kind: "PRIORITY", from: "P2", to: "P2" }, sentence: "Priority kept at P2." },
    { change: { kind: "ASSIGNED", serviceCenterId: "svc_1", technicianId: null }, sentence: "Assigned to service center svc_1." },
    { change: { kind: "ASSIGNED", serviceCenterId: "svc_1", technicianId: "tec_9" }, sentence: "Assigned to service center svc_1, technician tec_9." },
    { change: { kind: "ASSIGNED", serviceCenterId: null, technicianId: "tec_9" }, sentence: "Assigned to technician tec_9." },
    { change: { kind: "ASSIGNED", serviceCenterId: null, technicianId: null }, sentence: "Unassigned: no service center or technician has the ticket." },
    { change: { kind: "NOTE" }, sentence: "Note added." },
  ])("$change.kind: $sentence", ({ change, sentence }) => {
    expect(describeChange(change)).toBe(sentence);
  });
});

describe("the enums", () => {
  it.each([
    { name: "PRIORITIES, most urgent first", values: PRIORITIES, expected: ["P1", "P2", "P3", "P4"] },
    { name: "KINDS", values: KINDS, expected: ["REPAIR", "INSTALLATION", "MAINTENANCE", "COMPLAINT", "QUESTION", "TRAINING", "RETURN"] },
    { name: "CHANNELS", values: CHANNELS, expected: ["PHONE", "EMAIL", "CHAT", "PORTAL", "DEALER_API", "FIELD"] },
  ])("$name", ({ values, expected }) => {
    expect(values).toEqual(expected);
  });
});
