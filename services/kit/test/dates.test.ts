import { describe, expect, it } from "vitest";
import { addMonthsClamped, anniversary, localDate, zonedInstant } from "../src/dates.js";

describe("localDate", () => {
  it.each([
    // 23:30 UTC is already 00:30 the next day in Berlin (UTC+1 in winter)
    { at: "2025-01-31T23:30:00Z", timeZone: "Europe/Berlin", expected: "2025-02-01" },
    { at: "2025-01-31T23:30:00Z", timeZone: "UTC", expected: "2025-01-31" },
    // 03:00 UTC is still 22:00 the day before in New York (UTC−5)
    { at: "2025-03-01T03:00:00Z", timeZone: "America/New_York", expected: "2025-02-28" },
    // Auckland in summer is UTC+13: 11:00 UTC on 31 December is 00:00 on 1 January
    { at: "2025-12-31T11:00:00Z", timeZone: "Pacific/Auckland", expected: "2026-01-01" },
    { at: "2025-12-31T10:59:59Z", timeZone: "Pacific/Auckland", expected: "2025-12-31" },
    // summer time: Berlin is UTC+2, so 22:00 UTC is midnight
    { at: "2025-07-14T22:00:00Z", timeZone: "Europe/Berlin", expected: "2025-07-15" },
    { at: "2025-07-14T21:59:59Z", timeZone: "Europe/Berlin", expected: "2025-07-14" },
  ])("$at is $expected in $timeZone", ({ at, timeZone, expected }) => {
    expect(localDate(new Date(at), timeZone)).toBe(expected);
  });
});

describe("anniversary", () => {
  it.each([
    { start: "2025-03-15", months: 12, expected: "2026-03-15" },
    { start: "2025-03-15", months: 24, expected: "2027-03-15" },
    // across the year end: November + 3 = February
    { start: "2025-11-10", months: 3, expected: "2026-02-10" },
    // 29 February 2025 does not exist: the 1st of the following month
    { start: "2024-02-29", months: 12, expected: "2025-03-01" },
    // four years on, 29 February exists again
    { start: "2024-02-29", months: 48, expected: "2028-02-29" },
    // 31 February does not exist, in a common year …
    { start: "2025-01-31", months: 1, expected: "2025-03-01" },
    // … nor in a leap year, even though 29 February does
    { start: "2024-01-31", months: 1, expected: "2024-03-01" },
    { start: "2024-01-29", months: 1, expected: "2024-02-29" },
    { start: "2025-01-29", months: 1, expected: "2025-03-01" },
    // 31 April does not exist
    { start: "2025-03-31", months: 1, expected: "2025-05-01" },
    // 31 December + 12 exists
    { start: "2025-12-31", months: 12, expected: "2026-12-31" },
    { start: "2025-06-30", months: 0, expected: "2025-06-30" },
    { start: "2025-03-31", months: -1, expected: "2025-03-01" },
  ])("$start + $months months → $expected", ({ start, months, expected }) => {
    expect(anniversary(start, months)).toBe(expected);
  });

  it("refuses what is not an ISO date", () => {
    expect(() => anniversary("1.3.2025", 1)).toThrow(RangeError);
  });
});

describe("addMonthsClamped", () => {
  it.each([
    { start: "2025-01-15", months: 1, expected: "2025-02-15" },
    // clamped to the month's last day
    { start: "2025-01-31", months: 1, expected: "2025-02-28" },
    { start: "2024-01-31", months: 1, expected: "2024-02-29" },
    { start: "2025-01-31", months: 3, expected: "2025-04-30" },
    // counted from the start, not chained: 31 January + 2 is 31 March, not 28 March
    { start: "2025-01-31", months: 2, expected: "2025-03-31" },
    { start: "2024-02-29", months: 12, expected: "2025-02-28" },
    { start: "2025-10-31", months: 4, expected: "2026-02-28" },
    { start: "2025-03-31", months: -1, expected: "2025-02-28" },
  ])("$start + $months months → $expected", ({ start, months, expected }) => {
    expect(addMonthsClamped(start, months)).toBe(expected);
  });
});

describe("zonedInstant", () => {
  it.each([
    // Auckland is UTC+13 in January (summer): 00:30 local is 11:30 UTC the day before
    { date: "2025-01-15", time: "00:30", zone: "Pacific/Auckland", expected: "2025-01-14T11:30:00.000Z" },
    // Los Angeles is UTC−8 in winter: 23:30 local is 07:30 UTC the next day
    { date: "2025-01-15", time: "23:30", zone: "America/Los_Angeles", expected: "2025-01-16T07:30:00.000Z" },
    // Berlin moves to summer time at 02:00 on 2025-03-30: noon is then UTC+2
    { date: "2025-03-30", time: "12:00", zone: "Europe/Berlin", expected: "2025-03-30T10:00:00.000Z" },
    // 02:30 does not exist that night in Berlin: the clock jumps to 03:30, an hour later, at 01:30 UTC
    { date: "2025-03-30", time: "02:30", zone: "Europe/Berlin", expected: "2025-03-30T01:30:00.000Z" },
    { date: "2025-06-01", time: "00:00", zone: "UTC", expected: "2025-06-01T00:00:00.000Z" },
  ])("$time on $date in $zone is $expected", ({ date, time, zone, expected }) => {
    expect(zonedInstant(date, time, zone).toISOString()).toBe(expected);
  });
});
