import { LRUCache } from "lru-cache";
import { Temporal } from "temporal-polyfill";

/**
 * Calendar dates as ISO strings (`2026-03-01`), computed in UTC so that the
 * server's own time zone never shifts a day.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

const toUtc = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const fromUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

/** Whole days from `from` to `to`; negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

/** The same day `years` later; 29 February becomes 28 February in a common year. */
export function addYears(date: string, years: number): string {
  return addMonthsClamped(date, years * 12);
}

/**
 * The latest date a client may record as "already happened". It is already
 * tomorrow in UTC+14 while it is still today in UTC, so one day of slack
 * keeps a dealer in Auckland from being told its today is in the future.
 */
export function latestPastDate(now: Date = new Date()): string {
  return addDays(todayUtc(now), 1);
}

// Months and time zones: terms and schedules are whole days where the clock reads local time.

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Answers of localDate: SLA clocks ask for the dates of the same few instants (a ticket's opening, its pauses) on every read. */
const localDates = new LRUCache<string, string>({ max: 50_000 });

/** The calendar date at instant `at` where the clock reads `timeZone` time (an IANA zone such as Europe/Berlin). */
export function localDate(at: Date, timeZone: string): string {
  const key = `${timeZone} ${at.getTime()}`;
  const known = localDates.get(key);
  if (known !== undefined) return known;
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-CA spells dates year-month-day; reading the parts keeps us independent of its separator.
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, formatter);
  }
  let year = "";
  let month = "";
  let day = "";
  for (const part of formatter.formatToParts(at)) {
    if (part.type === "year") year = part.value;
    else if (part.type === "month") month = part.value;
    else if (part.type === "day") day = part.value;
  }
  const date = `${year.padStart(4, "0")}-${month}-${day}`;
  localDates.set(key, date);
  return date;
}

interface YearMonthDay {
  year: number;
  month: number; // 1..12
  day: number;
}

function parse(date: string): YearMonthDay {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`${date} is not a date like 2025-03-01.`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

const format = ({ year, month, day }: YearMonthDay): string =>
  `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The year and month `months` after the given one; `months` may be negative. */
function shiftMonth(year: number, month: number, months: number): { year: number; month: number } {
  const index = year * 12 + (month - 1) + months;
  return { year: Math.floor(index / 12), month: (((index % 12) + 12) % 12) + 1 };
}

/**
 * The same day of the month `months` later. When that day does not exist in
 * the target month (31 April, 29 February in a common year), the 1st of the
 * following month: a term bought on 31 January for one month has really had
 * all of February once 1 March comes, so it is complete then, not on the 28th.
 */
export function anniversary(start: string, months: number): string {
  const { year, month, day } = parse(start);
  const target = shiftMonth(year, month, months);
  if (day <= daysInMonth(target.year, target.month)) return format({ ...target, day });
  return format({ ...shiftMonth(target.year, target.month, 1), day: 1 });
}

/**
 * The same day of the month `months` later, moved back to the month's last
 * day when it does not exist there (31 January + 1 month → 28 February).
 * Visit schedules use this: a visit should fall in the month it is planned for.
 */
export function addMonthsClamped(start: string, months: number): string {
  const { year, month, day } = parse(start);
  const target = shiftMonth(year, month, months);
  return format({ ...target, day: Math.min(day, daysInMonth(target.year, target.month)) });
}

/**
 * Answers of zonedInstant: SLA clocks ask for the same few local times of the
 * same dates again and again, and the rule costs tens of microseconds.
 */
const zonedInstants = new LRUCache<string, number>({ max: 50_000 });

/**
 * The instant at which the clocks in `timeZone` (an IANA zone such as
 * Europe/Berlin) read `date` at `time` (`HH:MM` or `HH:MM:SS`), e.g. 00:30 in
 * Auckland. One rule for every zone and every use, Temporal's `compatible`
 * (as in RFC 5545 and most calendars): a time a change to summer time skips
 * comes out later by the length of the jump (02:30 where 02:00 becomes
 * 03:00 is 03:30; where the jump is 30 minutes, 30 minutes later), and a
 * time a change back repeats is its first occurrence.
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const key = `${timeZone} ${date}T${time}`;
  let instant = zonedInstants.get(key);
  if (instant === undefined) {
    instant = Temporal.PlainDateTime.from(`${date}T${time}`).toZonedDateTime(timeZone, { disambiguation: "compatible" }).epochMilliseconds;
    zonedInstants.set(key, instant);
  }
  return new Date(instant);
}
