import { describe, expect, it } from "vitest";
import { FAILURE_SPIKE, HISTORY_MONTHS, historyOf } from "../src/history.js";
import { buildDemoWorld } from "../src/world.js";

/**
 * The demo's past, as the seed imports it: the same for the same seed and
 * date, every instant before the day the seed runs, every history one the
 * tickets subgraph accepts (a reopen within 14 days of the resolution, a
 * CSAT answer while its survey is open), and trends to see.
 */

const TODAY = "2026-03-14";
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const history = historyOf(buildDemoWorld({ today: TODAY }));
const resolvedAt = (t: (typeof history.tickets)[number]) => Date.parse(t.steps.filter((s) => s.status === "RESOLVED").at(-1)!.at);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe("the demo's past", () => {
  it("is the same for the same seed and date, and spans the eighteen months before the current one", () => {
    expect(historyOf(buildDemoWorld({ today: TODAY }))).toEqual(history);
    expect(history.from).toBe("2024-09-01");
    expect(history.to).toBe("2026-02-28");
    const months = new Set(history.tickets.map((t) => new Date(resolvedAt(t)).toISOString().slice(0, 7)));
    expect(months.size).toBeGreaterThanOrEqual(HISTORY_MONTHS);
  });

  it("places every change in order, before the day the seed runs, reopening only within 14 days", () => {
    const seedDay = Date.parse(`${TODAY}T00:00:00Z`);
    for (const t of history.tickets) {
      const times = [t.openedAt, ...t.steps.map((s) => s.at)].map(Date.parse);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(Math.max(...times)).toBeLessThan(seedDay);
      t.steps.forEach((step, i) => {
        const before = t.steps[i - 1];
        if (before?.status === "RESOLVED" && step.status === "IN_PROGRESS") expect(Date.parse(step.at) - Date.parse(before.at)).toBeLessThan(14 * DAY_MS);
        if (step.status === "RESOLVED") expect(step.resolution).toBeTruthy();
      });
      if (t.csat) {
        expect(Date.parse(t.csat.answeredAt)).toBeGreaterThanOrEqual(resolvedAt(t));
        expect(Date.parse(t.csat.answeredAt) - resolvedAt(t)).toBeLessThan(14 * DAY_MS);
      }
      // A reopened ticket is never surveyed; every other survey of the past was answered.
      expect(t.csat === null).toBe(t.reopened);
    }
    expect(history.tickets.filter((t) => t.reopened).length).toBeGreaterThan(0);
  });

  it("resolves faster and pleases more as the months go by, with a spike of one product's failures", () => {
    const sorted = [...history.tickets].sort((a, b) => resolvedAt(a) - resolvedAt(b));
    const third = Math.floor(sorted.length / 3);
    const hours = (tickets: typeof sorted) => median(tickets.map((t) => (resolvedAt(t) - Date.parse(t.openedAt)) / HOUR_MS));
    const score = (tickets: typeof sorted) => {
      const answered = tickets.flatMap((t) => (t.csat ? [t.csat.score] : []));
      return answered.reduce((sum, s) => sum + s, 0) / answered.length;
    };
    expect(hours(sorted.slice(0, third))).toBeGreaterThan(1.5 * hours(sorted.slice(-third)));
    expect(score(sorted.slice(-third))).toBeGreaterThan(score(sorted.slice(0, third)) + 0.5);
    const spiking = history.tickets.filter((t) => t.productSku === FAILURE_SPIKE.productSku && t.failureCode?.includes("PUMP"));
    expect(spiking.length).toBeGreaterThanOrEqual(15);
  });
});
