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
    { date: "2025-06-01", time: "00:00", zone: "UTC", expected: "2025-06-01T00:00:00.000Z" },
    { date: "2025-06-01", time: "08:15:30", zone: "Asia/Tokyo", expected: "2025-05-31T23:15:30.000Z" },
  ])("$time on $date in $zone is $expected", ({ date, time, zone, expected }) => {
    expect(zonedInstant(date, time, zone).toISOString()).toBe(expected);
  });

  // One rule east and west of Greenwich, for jumps of an hour and of half an
  // hour: a skipped time moves on by the jump, a repeated one is its first occurrence.
  it.each([
    // Berlin, 30 March 2025: 02:00 CET becomes 03:00 CEST; 02:30 is read as 03:30 CEST
    { date: "2025-03-30", time: "02:30", zone: "Europe/Berlin", expected: "2025-03-30T01:30:00.000Z" },
    { date: "2025-03-30", time: "02:00", zone: "Europe/Berlin", expected: "2025-03-30T01:00:00.000Z" },
    { date: "2025-03-30", time: "03:00", zone: "Europe/Berlin", expected: "2025-03-30T01:00:00.000Z" },
    // Berlin, 26 October 2025: 03:00 CEST becomes 02:00 CET; 02:30 comes twice, first at UTC+2
    { date: "2025-10-26", time: "02:30", zone: "Europe/Berlin", expected: "2025-10-26T00:30:00.000Z" },
    // New York, 9 March 2025: 02:00 EST becomes 03:00 EDT; 02:30 is read as 03:30 EDT
    { date: "2025-03-09", time: "02:30", zone: "America/New_York", expected: "2025-03-09T07:30:00.000Z" },
    // New York, 2 November 2025: 02:00 EDT becomes 01:00 EST; 01:30 comes twice, first at UTC−4
    { date: "2025-11-02", time: "01:30", zone: "America/New_York", expected: "2025-11-02T05:30:00.000Z" },
    // Auckland, 28 September 2025: 02:00 NZST becomes 03:00 NZDT; 02:30 is read as 03:30 NZDT
    { date: "2025-09-28", time: "02:30", zone: "Pacific/Auckland", expected: "2025-09-27T14:30:00.000Z" },
    // Auckland, 6 April 2025: 03:00 NZDT becomes 02:00 NZST; 02:30 comes twice, first at UTC+13
    { date: "2025-04-06", time: "02:30", zone: "Pacific/Auckland", expected: "2025-04-05T13:30:00.000Z" },
    // Lord Howe, 5 October 2025: 02:00 (UTC+10:30) becomes 02:30 (UTC+11); 02:15 is read as 02:45
    { date: "2025-10-05", time: "02:15", zone: "Australia/Lord_Howe", expected: "2025-10-04T15:45:00.000Z" },
    // Lord Howe, 6 April 2025: 02:00 (UTC+11) becomes 01:30 (UTC+10:30); 01:45 comes twice, first at UTC+11
    { date: "2025-04-06", time: "01:45", zone: "Australia/Lord_Howe", expected: "2025-04-05T14:45:00.000Z" },
    // Santiago, 7 September 2025: midnight itself is skipped; 00:00 is read as 01:00 (UTC−3), on the same date
    { date: "2025-09-07", time: "00:00", zone: "America/Santiago", expected: "2025-09-07T04:00:00.000Z" },
  ])("$time on $date in $zone, a day the clocks change, is $expected", ({ date, time, zone, expected }) => {
    expect(zonedInstant(date, time, zone).toISOString()).toBe(expected);
  });

  it("refuses a time that is no time of day", () => {
    expect(() => zonedInstant("2025-03-30", "25:00", "Europe/Berlin")).toThrow(RangeError);
    expect(() => zonedInstant("2025-03-30", "12:00", "Mars/Olympus_Mons")).toThrow(RangeError);
  });
});
