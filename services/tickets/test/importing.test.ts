import { InputChecks } from "@aftersales/kit";
import { describe, expect, it } from "vitest";
import type { TicketErrorCode } from "../src/domain/errors.js";
import { MAX_IMPORTED_STEPS, planTicketHistory } from "../src/domain/importing.js";
import type { TicketStatus } from "../src/domain/lifecycle.js";

const NOW = new Date("2026-06-01T12:00:00.000Z");
const OPENED = new Date("2026-02-02T09:00:00.000Z");
const DAY_MS = 24 * 60 * 60 * 1000;
const day = (n: number) => new Date(OPENED.getTime() + n * DAY_MS);

function plan(steps: { status: TicketStatus; at: Date; resolution?: string }[], more: { openedAt?: Date; assigned?: boolean } = {}) {
  const checks = new InputChecks<TicketErrorCode>();
  const history = planTicketHistory(checks, { openedAt: more.openedAt ?? OPENED, assigned: more.assigned ?? true, steps }, ["tickets", 3], NOW);
  return { history, errors: checks.errors.map((e) => ({ code: e.code, field: e.field?.join(".") })) };
}

describe("an imported ticket's history", () => {
  it("takes a whole lifecycle, a reopen within 14 days included, in time order", () => {
    const { history, errors } = plan([
      { status: "IN_PROGRESS", at: day(1) },
      { status: "RESOLVED", at: day(2), resolution: "Pump replaced." },
      { status: "IN_PROGRESS", at: day(10) },
      { status: "RESOLVED", at: day(12), resolution: "Seal replaced as well." },
      { status: "CLOSED", at: day(30) },
    ]);
    expect(errors).toEqual([]);
    expect(history?.steps.map((s) => s.status)).toEqual(["IN_PROGRESS", "RESOLVED", "IN_PROGRESS", "RESOLVED", "CLOSED"]);
  });

  it("refuses a reopen after the window, counted from that step's own time", () => {
    const { history, errors } = plan([
      { status: "IN_PROGRESS", at: day(1) },
      { status: "RESOLVED", at: day(2), resolution: "Fixed." },
      { status: "IN_PROGRESS", at: day(17) },
    ]);
    expect(history).toBeNull();
    expect(errors).toEqual([{ code: "REOPEN_WINDOW_PASSED", field: "tickets.3.steps.2.status" }]);
  });

  it("names the step of each mistake: out of order, in the future, no resolution, no assignee", () => {
    expect(plan([{ status: "IN_PROGRESS", at: day(-1) }]).errors).toEqual([{ code: "DATES_OUT_OF_ORDER", field: "tickets.3.steps.0.at" }]);
    expect(plan([{ status: "IN_PROGRESS", at: new Date(NOW.getTime() + 1000) }]).errors).toEqual([{ code: "DATE_IN_FUTURE", field: "tickets.3.steps.0.at" }]);
    expect(
      plan([
        { status: "IN_PROGRESS", at: day(1) },
        { status: "RESOLVED", at: day(2) },
      ]).errors,
    ).toEqual([{ code: "REQUIRED", field: "tickets.3.steps.1.resolution" }]);
    expect(
      plan(
        [
          { status: "ASSIGNED", at: day(1) },
          { status: "IN_PROGRESS", at: day(2) },
        ],
        { assigned: false },
      ).errors,
    ).toEqual([
      { code: "ASSIGNEE_REQUIRED", field: "tickets.3.steps.0.status" },
      { code: "ASSIGNEE_REQUIRED", field: "tickets.3.steps.1.status" },
    ]);
    expect(plan([], { openedAt: new Date(NOW.getTime() + DAY_MS) }).errors).toEqual([{ code: "DATE_IN_FUTURE", field: "tickets.3.openedAt" }]);
  });

  it("refuses a history longer than it takes", () => {
    const steps = Array.from({ length: MAX_IMPORTED_STEPS + 1 }, (_, i) => ({
      status: (i % 2 ? "WAITING_CUSTOMER" : "IN_PROGRESS") as TicketStatus,
      at: day(i),
    }));
    expect(plan(steps).errors).toEqual([{ code: "OUT_OF_RANGE", field: "tickets.3.steps" }]);
  });
});
