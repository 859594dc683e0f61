import { InputChecks } from "@aftersales/kit";
import { describe, expect, it } from "vitest";
import { checkCalendar, formatClock, parseClock } from "../src/domain/calendar.js";
import type { PartnerErrorCode } from "../src/domain/errors.js";

describe("parseClock", () => {
  it.each([
    ["00:00", 0],
    ["08:30", 510],
    ["23:59", 1439],
    ["24:00", 1440],
    ["8:30", null],
    ["24:01", null],
    ["25:00", null],
    ["12:60", null],
    ["noon", null],
  ])("reads %s as %s minutes", (text, minutes) => {
    expect(parseClock(text)).toBe(minutes);
  });

  it("writes minutes back as HH:MM", () => {
    expect([0, 510, 1440].map(formatClock)).toEqual(["00:00", "08:30", "24:00"]);
  });
});

describe("checkCalendar", () => {
  const check = (weeklyWindows: { day: "MONDAY" | "TUESDAY"; opens: string; closes: string }[], needsHours = true) => {
    const checks = new InputChecks<PartnerErrorCode>();
    const calendar = checkCalendar(checks, { timeZone: "Europe/Berlin", weeklyWindows }, ["calendar"], needsHours);
    return { calendar, codes: checks.errors.map((e) => e.code) };
  };

  it.each([
    {
      name: "two windows with a lunch break",
      windows: [
        ["MONDAY", "08:00", "12:00"],
        ["MONDAY", "13:00", "17:00"],
      ],
      codes: [],
    },
    {
      name: "windows that touch",
      windows: [
        ["MONDAY", "08:00", "12:00"],
        ["MONDAY", "12:00", "17:00"],
      ],
      codes: [],
    },
    {
      name: "the same hours on two days",
      windows: [
        ["MONDAY", "08:00", "12:00"],
        ["TUESDAY", "08:00", "12:00"],
      ],
      codes: [],
    },
    { name: "a window open until midnight", windows: [["MONDAY", "18:00", "24:00"]], codes: [] },
    { name: "a window that closes when it opens", windows: [["MONDAY", "08:00", "08:00"]], codes: ["WINDOW_ENDS_BEFORE_START"] },
    { name: "a window that opens at 24:00", windows: [["MONDAY", "24:00", "24:00"]], codes: ["INVALID_TIME"] },
    {
      name: "a window inside another",
      windows: [
        ["MONDAY", "08:00", "17:00"],
        ["MONDAY", "10:00", "11:00"],
      ],
      codes: ["OVERLAPPING_WINDOWS"],
    },
    { name: "no windows for a service center", windows: [], codes: ["NO_BUSINESS_HOURS"] },
  ])("$name: $codes", ({ windows, codes }) => {
    const input = windows.map(([day, opens, closes]) => ({ day: day as "MONDAY" | "TUESDAY", opens: opens!, closes: closes! }));
    expect(check(input).codes).toEqual(codes);
  });

  it("allows a sales-only dealer without hours", () => {
    expect(check([], false).codes).toEqual([]);
  });

  it("stores windows sorted by day and time, in minutes", () => {
    const { calendar } = check([
      { day: "TUESDAY", opens: "09:00", closes: "10:00" },
      { day: "MONDAY", opens: "13:00", closes: "14:00" },
      { day: "MONDAY", opens: "08:00", closes: "09:30" },
    ]);
    expect(calendar.windows).toEqual([
      { weekday: 1, opensMinute: 480, closesMinute: 570 },
      { weekday: 1, opensMinute: 780, closesMinute: 840 },
      { weekday: 2, opensMinute: 540, closesMinute: 600 },
    ]);
  });
});
