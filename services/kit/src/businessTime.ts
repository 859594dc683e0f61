import { zonedInstant } from "./dates.js";

/**
 * Time that counts toward a deadline in business hours (a ticket's SLA, a
 * complaint's response): only while a dealer or service center is open, by
 * its own clock, with no database. A window is local time, so it is turned
 * into instants date by date: on the night summer time starts a 01:00–04:00
 * window lasts two hours, on the night it ends four, and 08:00–17:00 is
 * nine hours either way.
 */

/** A service center's business hours as partners announces them: ISO weekday (MONDAY=1..SUNDAY=7), minutes since local midnight (closesMinute may be 1440 = 24:00), holidays as local dates. */
export interface BusinessCalendar {
  timeZone: string;
  windows: { weekday: number; opensMinute: number; closesMinute: number }[];
  holidays: { date: string; name: string }[];
}

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * How many local dates addBusinessMs looks through, about three years. A
 * calendar that opens nowhere in that time (every open day a holiday, or
 * windows of no length) has no due date rather than a loop without end, and
 * so has a target longer than about three years of its business time.
 */
const SEARCH_DAYS = 3 * 366;

// ---------------------------------------------------------------------------
// A zone's clock, date by date
// ---------------------------------------------------------------------------

/** A local date as the number of its 00:00 on a UTC scale: walked a day apart, and named by it. */
const wallMidnightOf = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const dateOf = (wallMidnight: number): string => new Date(wallMidnight).toISOString().slice(0, 10);
const weekdayOf = (wallMidnight: number): number => ((new Date(wallMidnight).getUTCDay() + 6) % 7) + 1;

/**
 * The instant the clock reads `minute` (0..1440) on a local date, by the
 * kit's one rule for the days clocks change (a skipped time moves on by the
 * jump, a repeated one is its first occurrence); 1440 (24:00) is the next
 * date's 00:00.
 */
function instantAt(wallMidnight: number, minute: number, timeZone: string): number {
  let zone = instants.get(timeZone);
  if (!zone) {
    zone = new Map<number, number>();
    instants.set(timeZone, zone);
  }
  const wall = wallMidnight + minute * MINUTE_MS;
  let instant = zone.get(wall);
  if (instant === undefined) {
    if (minute >= 1440) instant = zonedInstant(dateOf(wallMidnight + DAY_MS), "00:00", timeZone).getTime();
    else {
      const time = `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
      instant = zonedInstant(dateOf(wallMidnight), time, timeZone).getTime();
    }
    // Started afresh when full: the dates in use are few, and a plain map answers faster than a least-recently-used one.
    if (zone.size >= INSTANTS_PER_ZONE) zone.clear();
    zone.set(wall, instant);
  }
  return instant;
}

/**
 * Answers of instantAt, by time zone and local time: every read of a ticket's SLA walks the same dates' openings
 * and closings again. Numbers as keys, not text: a page of tickets asks some thousand times.
 */
const instants = new Map<string, Map<number, number>>();
const INSTANTS_PER_ZONE = 50_000;

// ---------------------------------------------------------------------------
// Open hours
// ---------------------------------------------------------------------------

type Window = { opensMinute: number; closesMinute: number };

/** The calendar arranged for walking it date by date. */
interface OpenHours {
  timeZone: string;
  /** Index 1..7 by ISO weekday, each day's windows by opening time. */
  byWeekday: Window[][];
  /** Closed dates, by their wallMidnight. */
  holidays: ReadonlySet<number>;
}

/**
 * Built once per calendar object: reading one ticket's two clocks asks for it
 * four times, and turning a year's holidays into dates each time was most of
 * the work. A calendar is read as it was when first seen, so callers hand in
 * a new object for a changed calendar, never change one in place (each comes
 * from a row or an event).
 */
function openHours(calendar: BusinessCalendar): OpenHours {
  let hours = arranged.get(calendar);
  if (!hours) {
    hours = arrange(calendar);
    arranged.set(calendar, hours);
  }
  return hours;
}

const arranged = new WeakMap<BusinessCalendar, OpenHours>();

/**
 * A holiday's date as its wallMidnight, read off the text's digits: every
 * ticket's row holds its own copy of the calendar, so this runs for each
 * holiday of each ticket read, and parsing the text as a date was the slow part.
 */
const holidayMidnight = (date: string): number => {
  const [year, month, day] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  // A day every month has; anything else (the 29th to 31st, text that is no date) is left to the date parser, which refuses what does not exist.
  const plain = date.length === 10 && year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= 28;
  return plain ? Date.UTC(year, month - 1, day) : wallMidnightOf(date);
};

function arrange(calendar: BusinessCalendar): OpenHours {
  const byWeekday: Window[][] = [[], [], [], [], [], [], [], []];
  for (const { weekday, opensMinute, closesMinute } of calendar.windows) {
    byWeekday[weekday]?.push({ opensMinute, closesMinute });
  }
  for (const windows of byWeekday) windows.sort((a, b) => a.opensMinute - b.opensMinute);
  return { timeZone: calendar.timeZone, byWeekday, holidays: new Set(calendar.holidays.map((h) => holidayMidnight(h.date))) };
}

/**
 * The instants the service center is open on a local date, earliest first;
 * none on a holiday. Each opens no earlier than `notBefore`, the last closing
 * before it: a window opening in a skipped hour moves on by the jump and may
 * then reach into the next window (01:00–02:30 and 03:00–04:00 overlap on
 * the night 02:00 becomes 03:00), and an hour is never counted twice.
 */
function openIntervals(hours: OpenHours, day: number, notBefore: number): [opens: number, closes: number][] {
  if (hours.holidays.has(day)) return [];
  const intervals: [number, number][] = [];
  let floor = notBefore;
  for (const { opensMinute, closesMinute } of hours.byWeekday[weekdayOf(day)] ?? []) {
    const opens = Math.max(instantAt(day, opensMinute, hours.timeZone), floor);
    const closes = instantAt(day, closesMinute, hours.timeZone);
    // a window the jump leaves with no time of its own never opens
    if (closes > opens) {
      intervals.push([opens, closes]);
      floor = closes;
    }
  }
  return intervals;
}

// Dates are walked as wallMidnight numbers, a day apart, rather than with
// kit's addDays: turning each back into text was most of the time spent.
// Both walks start at least a date before `from`'s local date: a window of
// the day before may close after `from` when its closing time was skipped and
// moved on past midnight. Two dates before its UTC date is always that (a
// zone is at most 14 hours from UTC, so a local date is at most one date off
// the UTC one), without asking the zone: `from` is often now, new at every
// reading, and formatting it in the zone was a large share of a reading.
// Windows before `from` add nothing to either walk.

/** The first date a walk from `from` looks at (see above). */
const walkStart = (from: Date): number => Math.floor(from.getTime() / DAY_MS) * DAY_MS - 2 * DAY_MS;

/** Business time from `from` to `to` in milliseconds; 0 when `to` is not after `from`. */
export function businessMsBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const start = from.getTime();
  const end = to.getTime();
  // also 0 for an invalid date, which would never be passed
  if (!(end > start)) return 0;
  const hours = openHours(calendar);
  let total = 0;
  let floor = -Infinity;
  for (let day = walkStart(from); ; day += DAY_MS) {
    // the first date that begins at or after `to` has nothing to add
    if (instantAt(day, 0, hours.timeZone) >= end) return total;
    for (const [opens, closes] of openIntervals(hours, day, floor)) {
      const overlap = Math.min(closes, end) - Math.max(opens, start);
      if (overlap > 0) total += overlap;
      floor = closes;
    }
  }
}

/**
 * The earliest instant at or after `from` with `ms` of business time between
 * them: a target that runs out exactly at closing time is due at closing, not
 * at the next opening. `from` itself when `ms` is not positive. Null when the
 * calendar has no windows, or when the time is not reached within about three
 * years of local dates (SEARCH_DAYS).
 */
export function addBusinessMs(calendar: BusinessCalendar, from: Date, ms: number): Date | null {
  const start = from.getTime();
  if (ms <= 0) return new Date(start);
  if (calendar.windows.length === 0) return null;
  const hours = openHours(calendar);
  // Instants are whole milliseconds: round a fraction up so the answer is never early.
  let remaining = Math.ceil(ms);
  let floor = -Infinity;
  const first = walkStart(from);
  for (let day = first; day < first + SEARCH_DAYS * DAY_MS; day += DAY_MS) {
    for (const [opens, closes] of openIntervals(hours, day, floor)) {
      floor = closes;
      const counted = Math.max(opens, start);
      if (closes <= counted) continue;
      if (remaining <= closes - counted) return new Date(counted + remaining);
      remaining -= closes - counted;
    }
  }
  return null;
}

/** A calendar that is always open, in UTC: for a deadline set before its dealer's calendar has arrived. */
export const ALWAYS_OPEN: BusinessCalendar = {
  timeZone: "UTC",
  windows: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensMinute: 0, closesMinute: 1440 })),
  holidays: [],
};
