import { isKnownTimeZone, type FieldPath, type InputChecks } from "@aftersales/kit";
import type { PartnerErrorCode } from "./errors.js";

export const WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** ISO weekday number: MONDAY = 1 ... SUNDAY = 7. */
export const weekdayNumber = (day: Weekday): number => WEEKDAYS.indexOf(day) + 1;
export const weekdayOf = (isoNumber: number): Weekday => WEEKDAYS[isoNumber - 1] ?? "MONDAY";

export const MINUTES_PER_DAY = 24 * 60;

/** "08:30" → 510; "24:00" → 1440 (end of day); anything else → null. */
export function parseClock(text: string): number | null {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text.trim());
  if (!match) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= MINUTES_PER_DAY ? minutes : null;
}

export function formatClock(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

export interface CalendarInput {
  timeZone: string;
  weeklyWindows: readonly { day: Weekday; opens: string; closes: string }[];
  holidays?: readonly { date: string; name: string }[] | null;
}

/** A calendar as stored: windows in minutes since local midnight, ISO weekdays. */
export interface Calendar {
  timeZone: string;
  windows: { weekday: number; opensMinute: number; closesMinute: number }[];
  holidays: { date: string; name: string }[];
}

/**
 * Checks a business-hours calendar and returns it in stored form. SLA
 * deadlines are computed in these hours, so a window that ends before it
 * starts or overlaps another would silently bend every deadline: refuse it.
 */
export function checkCalendar(checks: InputChecks<PartnerErrorCode>, input: CalendarInput, field: FieldPath, needsHours: boolean): Calendar {
  const timeZone = input.timeZone.trim();
  if (!isKnownTimeZone(timeZone)) {
    checks.add("UNKNOWN_TIME_ZONE", `\`${timeZone}\` is not an IANA time zone such as Europe/Berlin.`, [...field, "timeZone"]);
  }

  const windows: Calendar["windows"] = [];
  input.weeklyWindows.forEach((window, i) => {
    const at = [...field, "weeklyWindows", i];
    const parsedOpens = parseClock(window.opens);
    // 24:00 ends a day; nothing opens then.
    const opens = parsedOpens === MINUTES_PER_DAY ? null : parsedOpens;
    const closes = parseClock(window.closes);
    if (opens === null) {
      checks.add("INVALID_TIME", `Opening time \`${window.opens}\` is not a time like 08:00.`, [...at, "opens"]);
    }
    if (closes === null) {
      checks.add("INVALID_TIME", `Closing time \`${window.closes}\` is not a time like 17:30.`, [...at, "closes"]);
    }
    if (opens === null || closes === null) return;
    if (closes <= opens) {
      checks.add("WINDOW_ENDS_BEFORE_START", `The ${window.day} window closes at ${window.closes}, not after it opens at ${window.opens}.`, [...at, "closes"]);
      return;
    }
    const weekday = weekdayNumber(window.day);
    const clash = windows.find((w) => w.weekday === weekday && w.opensMinute < closes && opens < w.closesMinute);
    if (clash) {
      checks.add(
        "OVERLAPPING_WINDOWS",
        `The ${window.day} window ${window.opens}-${window.closes} overlaps ${formatClock(clash.opensMinute)}-${formatClock(clash.closesMinute)}.`,
        at,
      );
      return;
    }
    windows.push({ weekday, opensMinute: opens, closesMinute: closes });
  });
  if (needsHours && input.weeklyWindows.length === 0) {
    checks.add("NO_BUSINESS_HOURS", "A service center needs at least one business-hours window.", [...field, "weeklyWindows"]);
  }

  const holidays: Calendar["holidays"] = [];
  (input.holidays ?? []).forEach((holiday, i) => {
    const at = [...field, "holidays", i];
    const name = checks.text(holiday.name, [...at, "name"], 100);
    if (holidays.some((h) => h.date === holiday.date)) {
      checks.add("DUPLICATE_HOLIDAY", `${holiday.date} is listed twice.`, [...at, "date"]);
      return;
    }
    holidays.push({ date: holiday.date, name });
  });

  windows.sort((a, b) => a.weekday - b.weekday || a.opensMinute - b.opensMinute);
  holidays.sort((a, b) => a.date.localeCompare(b.date));
  return { timeZone, windows, holidays };
}

/** A stored calendar written back the way a client sends one (to apply an update to it). */
export function calendarInputOf(calendar: Calendar): CalendarInput {
  return {
    timeZone: calendar.timeZone,
    weeklyWindows: calendar.windows.map((w) => ({
      day: weekdayOf(w.weekday),
      opens: formatClock(w.opensMinute),
      closes: formatClock(w.closesMinute),
    })),
    holidays: calendar.holidays,
  };
}
