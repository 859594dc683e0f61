import { localDate, utcOffsetMs } from "@aftersales/kit";

/**
 * Time that counts toward an SLA: only while a service center is open, by
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

// Kit's zonedInstant is not used for the windows: in a skipped hour it answers
// an hour later east of Greenwich but an hour earlier west of it, in a repeated
// hour the second reading in Berlin but the first in New York, and where
// midnight is skipped (America/Santiago) it lands on the day before. Windows
// need one rule for every zone, so the clock is read here.

/**
 * How the clock reads on one local date. Wall times are kept as if they were
 * UTC (`wallMidnight` is the date's 00:00 on that scale, and names the date);
 * `before` and `after` are the offsets around the date and `change` the
 * instant the one becomes the other, null on the ordinary day when they are
 * the same.
 */
interface DayClock {
  wallMidnight: number;
  weekday: number;
  before: number;
  after: number;
  change: number | null;
}

/** By zone, then by wallMidnight: a date's clock is read once per process. */
const dayClocks = new Map<string, Map<number, DayClock>>();

/** Dates kept per zone: decades of them; dropped beyond that so a long-running service does not grow without bound. */
const MAX_DAY_CLOCKS = 20_000;

function dayClock(wallMidnight: number, timeZone: string): DayClock {
  let zone = dayClocks.get(timeZone);
  if (!zone) {
    zone = new Map();
    dayClocks.set(timeZone, zone);
  }
  const cached = zone.get(wallMidnight);
  if (cached) return cached;

  // Offsets lie within −12 h and +14 h, so every instant whose clock reads
  // this date falls between these two. Taken as given: no zone changes its
  // offset twice within these 54 hours.
  let early = wallMidnight - 15 * HOUR_MS;
  let late = wallMidnight + DAY_MS + 15 * HOUR_MS;
  const before = utcOffsetMs(early, timeZone);
  const after = utcOffsetMs(late, timeZone);
  let change: number | null = null;
  if (before !== after) {
    // Only the few dates around a change get here, once each: find the change to the millisecond.
    while (late - early > 1) {
      const middle = Math.floor((early + late) / 2);
      if (utcOffsetMs(middle, timeZone) === before) early = middle;
      else late = middle;
    }
    change = late;
  }

  const clock: DayClock = { wallMidnight, weekday: ((new Date(wallMidnight).getUTCDay() + 6) % 7) + 1, before, after, change };
  if (zone.size >= MAX_DAY_CLOCKS) zone.clear();
  zone.set(wallMidnight, clock);
  return clock;
}

/**
 * The first instant the clock reads `minute` (0..1440) on the date or later.
 * A time summer time skips is the instant of the jump, so a window never
 * runs backwards; a time the change back repeats is its first occurrence;
 * 1440 (24:00) is the next date's 00:00.
 */
function instantAt(clock: DayClock, minute: number): number {
  const wall = clock.wallMidnight + minute * MINUTE_MS;
  const early = wall - clock.before;
  if (clock.change === null || early < clock.change) return early;
  return Math.max(clock.change, wall - clock.after);
}

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

const wallMidnightOf = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/** Rebuilt per call: a calendar is plain data that may change between calls, and this is cheap next to the dates walked. */
function openHours(calendar: BusinessCalendar): OpenHours {
  const byWeekday: Window[][] = [[], [], [], [], [], [], [], []];
  for (const { weekday, opensMinute, closesMinute } of calendar.windows) {
    byWeekday[weekday]?.push({ opensMinute, closesMinute });
  }
  for (const windows of byWeekday) windows.sort((a, b) => a.opensMinute - b.opensMinute);
  return { timeZone: calendar.timeZone, byWeekday, holidays: new Set(calendar.holidays.map((h) => wallMidnightOf(h.date))) };
}

/** The instants the service center is open on a local date, earliest first; none on a holiday. */
function openIntervals(hours: OpenHours, clock: DayClock): [opens: number, closes: number][] {
  if (hours.holidays.has(clock.wallMidnight)) return [];
  const intervals: [number, number][] = [];
  for (const { opensMinute, closesMinute } of hours.byWeekday[clock.weekday] ?? []) {
    const opens = instantAt(clock, opensMinute);
    const closes = instantAt(clock, closesMinute);
    // a window wholly inside a skipped hour never opens
    if (closes > opens) intervals.push([opens, closes]);
  }
  return intervals;
}

// Dates are walked as wallMidnight numbers, a day apart, rather than with
// kit's addDays: turning each back into text was most of the time spent.

/** Business time from `from` to `to` in milliseconds; 0 when `to` is not after `from`. */
export function businessMsBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const start = from.getTime();
  const end = to.getTime();
  // also 0 for an invalid date, which would never be passed
  if (!(end > start)) return 0;
  const hours = openHours(calendar);
  let total = 0;
  for (let day = wallMidnightOf(localDate(from, hours.timeZone)); ; day += DAY_MS) {
    const clock = dayClock(day, hours.timeZone);
    // the first date that begins at or after `to` has nothing to add
    if (instantAt(clock, 0) >= end) return total;
    for (const [opens, closes] of openIntervals(hours, clock)) {
      const overlap = Math.min(closes, end) - Math.max(opens, start);
      if (overlap > 0) total += overlap;
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
  const first = wallMidnightOf(localDate(from, hours.timeZone));
  for (let day = first; day < first + SEARCH_DAYS * DAY_MS; day += DAY_MS) {
    for (const [opens, closes] of openIntervals(hours, dayClock(day, hours.timeZone))) {
      const counted = Math.max(opens, start);
      if (closes <= counted) continue;
      if (remaining <= closes - counted) return new Date(counted + remaining);
      remaining -= closes - counted;
    }
  }
  return null;
}
