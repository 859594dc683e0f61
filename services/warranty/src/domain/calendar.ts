/**
 * Calendar arithmetic for warranty terms. Terms are whole days in the unit's
 * own time zone, so everything here works on ISO date strings (`2025-03-01`),
 * never on instants.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date at instant `at` where the clock reads `timeZone` time (an IANA zone such as Europe/Berlin). */
export function localDate(at: Date, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-CA spells dates year-month-day; reading the parts keeps us independent of its separator.
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(at).map((p) => [p.type, p.value]));
  return `${String(parts.year).padStart(4, "0")}-${parts.month}-${parts.day}`;
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
