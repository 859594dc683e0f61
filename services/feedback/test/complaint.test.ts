import { zonedInstant, type BusinessCalendar } from "@aftersales/kit";
import { describe, expect, it } from "vitest";
import { isComplaint, readDeadline, RESPONSE_TARGET_SECONDS } from "../src/domain/complaint.js";

describe("isComplaint", () => {
  it.each([
    { kind: "NPS", score: 6, comment: "Slow repair.", complaint: true },
    { kind: "NPS", score: 7, comment: "Slow repair.", complaint: false },
    { kind: "NPS", score: 0, comment: null, complaint: false },
    { kind: "CSAT", score: 2, comment: "Rude technician.", complaint: true },
    { kind: "CSAT", score: 3, comment: "Rude technician.", complaint: false },
    { kind: "POST_SALE", score: 1, comment: "Delivered broken.", complaint: true },
    { kind: "POST_SALE", score: 1, comment: "   ", complaint: false },
    { kind: "COMPLAINT_FOLLOW_UP", score: 0, comment: "Still broken.", complaint: false },
  ] as const)("$kind $score with comment $comment: $complaint", ({ kind, score, comment, complaint }) => {
    expect(isComplaint(kind, score, comment)).toBe(complaint);
  });
});

describe("readDeadline", () => {
  const BERLIN: BusinessCalendar = {
    timeZone: "Europe/Berlin",
    windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opensMinute: 9 * 60, closesMinute: 17 * 60 })),
    holidays: [{ date: "2026-03-09", name: "A closed Monday" }],
  };
  const at = (date: string, time: string) => zonedInstant(date, time, "Europe/Berlin");
  const clock = { calendar: BERLIN, responseTargetSeconds: RESPONSE_TARGET_SECONDS, openedAt: at("2026-03-06", "16:00"), respondedAt: null, breachedAt: null };

  it("runs one business day from a Friday afternoon over the weekend and a holiday", () => {
    // Friday 16:00–17:00, then Tuesday 09:00–16:00
    expect(readDeadline(clock, at("2026-03-06", "16:30"))).toMatchObject({ state: "RUNNING", dueAt: at("2026-03-10", "16:00") });
  });

  it("is met by a response in time, and breached by one after the deadline", () => {
    expect(readDeadline({ ...clock, respondedAt: at("2026-03-10", "15:00") }, at("2026-03-11", "09:00"))).toMatchObject({ state: "MET", dueAt: null });
    expect(readDeadline({ ...clock, respondedAt: at("2026-03-10", "16:30") }, at("2026-03-11", "09:00"))).toMatchObject({
      state: "BREACHED",
      breachedAt: at("2026-03-10", "16:00"),
    });
  });
});
