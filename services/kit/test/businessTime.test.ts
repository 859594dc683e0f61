import { describe, expect, it } from "vitest";
import { addBusinessMs, businessMsBetween, type BusinessCalendar } from "../src/businessTime.js";
import { addDays, zonedInstant } from "../src/dates.js";

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;

/** "08:30" → 510; "24:00" → 1440, the way partners stores a window. */
const minutes = (clock: string): number => {
  const [h, m] = clock.split(":").map(Number) as [number, number];
  return h * 60 + m;
};

const MONDAY_TO_FRIDAY = [1, 2, 3, 4, 5];
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

/** The same window on each of `weekdays`. */
const windows = (opens: string, closes: string, weekdays: number[] = MONDAY_TO_FRIDAY): BusinessCalendar["windows"] =>
  weekdays.map((weekday) => ({ weekday, opensMinute: minutes(opens), closesMinute: minutes(closes) }));

const calendar = (timeZone: string, hours: BusinessCalendar["windows"], holidays: string[] = []): BusinessCalendar => ({
  timeZone,
  windows: hours,
  holidays: holidays.map((date) => ({ date, name: `Holiday ${date}` })),
});

/** An office in Berlin, 09:00–17:00 on weekdays. */
const BERLIN = calendar("Europe/Berlin", windows("09:00", "17:00"));

/** Berlin wall time, "2026-03-06 16:00"; only for times that occur exactly once. */
const berlin = (when: string): Date => {
  const [date, time] = when.split(" ") as [string, string];
  return zonedInstant(date, time, "Europe/Berlin");
};

const iso = (at: Date | null): string | null => at?.toISOString() ?? null;

// March 2026, before summer time: Monday 2 to Sunday 8, Monday 9.

describe("addBusinessMs: Monday to Friday 09:00–17:00 in Berlin", () => {
  it.each([
    { name: "within the day", from: "2026-03-02 10:00", hours: 2, due: "2026-03-02 12:00" },
    { name: "across the weekend", from: "2026-03-06 16:00", hours: 2, due: "2026-03-09 10:00" },
    { name: "before opening", from: "2026-03-02 07:00", hours: 1, due: "2026-03-02 10:00" },
    { name: "after closing", from: "2026-03-02 18:00", hours: 1, due: "2026-03-03 10:00" },
    { name: "from a Saturday", from: "2026-03-07 12:00", hours: 0.5, due: "2026-03-09 09:30" },
    { name: "over night", from: "2026-03-02 15:00", hours: 8, due: "2026-03-03 15:00" },
    // the earliest instant: due at closing, not at the next opening
    { name: "running out at closing", from: "2026-03-02 09:00", hours: 8, due: "2026-03-02 17:00" },
    { name: "running out at Friday's closing", from: "2026-03-06 13:00", hours: 4, due: "2026-03-06 17:00" },
    { name: "a week of business time", from: "2026-03-02 10:00", hours: 40, due: "2026-03-09 10:00" },
  ])("$name: $from + $hours h → $due", ({ from, hours, due }) => {
    expect(iso(addBusinessMs(BERLIN, berlin(from), hours * HOUR_MS))).toBe(iso(berlin(due)));
  });

  it("counts single milliseconds, never early for a fraction", () => {
    expect(iso(addBusinessMs(BERLIN, berlin("2026-03-06 17:00"), 1))).toBe("2026-03-09T08:00:00.001Z");
    expect(iso(addBusinessMs(BERLIN, berlin("2026-03-09 09:00"), 0.25))).toBe("2026-03-09T08:00:00.001Z");
  });

  it.each([0, -HOUR_MS])("returns the start itself for %d ms", (ms) => {
    expect(iso(addBusinessMs(BERLIN, berlin("2026-03-07 12:00"), ms))).toBe(iso(berlin("2026-03-07 12:00")));
  });

  it("skips a holiday on a weekday", () => {
    const withHoliday = { ...BERLIN, holidays: [{ date: "2026-03-04", name: "Company day" }] };
    expect(iso(addBusinessMs(withHoliday, berlin("2026-03-03 16:00"), 2 * HOUR_MS))).toBe(iso(berlin("2026-03-05 10:00")));
    expect(iso(addBusinessMs(withHoliday, berlin("2026-03-04 10:00"), HOUR_MS))).toBe(iso(berlin("2026-03-05 10:00")));
  });

  it("reaches ten weeks of business time", () => {
    expect(iso(addBusinessMs(BERLIN, berlin("2026-03-02 09:00"), 400 * HOUR_MS))).toBe(iso(berlin("2026-05-08 17:00")));
  });
});

describe("businessMsBetween: Monday to Friday 09:00–17:00 in Berlin", () => {
  it.each([
    { name: "across the weekend", from: "2026-03-06 16:00", to: "2026-03-09 10:00", hours: 2 },
    { name: "a weekend alone", from: "2026-03-07 00:00", to: "2026-03-09 00:00", hours: 0 },
    { name: "a day with the night around it", from: "2026-03-02 06:00", to: "2026-03-02 23:00", hours: 8 },
    { name: "before opening to within", from: "2026-03-02 07:00", to: "2026-03-02 09:30", hours: 0.5 },
    { name: "within to after closing", from: "2026-03-02 16:30", to: "2026-03-02 20:00", hours: 0.5 },
    { name: "a whole week", from: "2026-03-02 00:00", to: "2026-03-09 00:00", hours: 40 },
    { name: "to before from", from: "2026-03-02 12:00", to: "2026-03-02 10:00", hours: 0 },
    { name: "to equal to from", from: "2026-03-02 12:00", to: "2026-03-02 12:00", hours: 0 },
  ])("$name: $hours h", ({ from, to, hours }) => {
    expect(businessMsBetween(BERLIN, berlin(from), berlin(to))).toBe(hours * HOUR_MS);
  });

  it("leaves out a holiday on a weekday", () => {
    const withHoliday = { ...BERLIN, holidays: [{ date: "2026-03-04", name: "Company day" }] };
    expect(businessMsBetween(withHoliday, berlin("2026-03-02 00:00"), berlin("2026-03-09 00:00"))).toBe(32 * HOUR_MS);
    expect(businessMsBetween(withHoliday, berlin("2026-03-04 10:00"), berlin("2026-03-04 12:00"))).toBe(0);
  });
});

describe("windows", () => {
  it("runs a window ending 24:00 into one opening at 00:00 the next day", () => {
    const lateShift = calendar("Europe/Berlin", [
      { weekday: 5, opensMinute: minutes("18:00"), closesMinute: minutes("24:00") },
      { weekday: 6, opensMinute: minutes("00:00"), closesMinute: minutes("02:00") },
    ]);
    expect(iso(addBusinessMs(lateShift, berlin("2026-03-06 23:00"), 2 * HOUR_MS))).toBe(iso(berlin("2026-03-07 01:00")));
    expect(iso(addBusinessMs(lateShift, berlin("2026-03-06 18:00"), 6 * HOUR_MS))).toBe(iso(berlin("2026-03-07 00:00")));
    expect(businessMsBetween(lateShift, berlin("2026-03-06 12:00"), berlin("2026-03-07 12:00"))).toBe(8 * HOUR_MS);
  });

  it("ends a 24:00 window at midnight on the night summer time starts", () => {
    const evenings = calendar("Europe/Berlin", windows("20:00", "24:00", EVERY_DAY));
    // Saturday 28 March: midnight is still winter time; Sunday 29th: summer time.
    expect(businessMsBetween(evenings, new Date("2026-03-28T12:00:00Z"), new Date("2026-03-30T12:00:00Z"))).toBe(8 * HOUR_MS);
    expect(iso(addBusinessMs(evenings, new Date("2026-03-28T12:00:00Z"), 4 * HOUR_MS))).toBe("2026-03-28T23:00:00.000Z");
    expect(iso(addBusinessMs(evenings, new Date("2026-03-29T12:00:00Z"), 4 * HOUR_MS))).toBe("2026-03-29T22:00:00.000Z");
  });

  it("skips the lunch break between two windows a day", () => {
    const withLunch = calendar("Europe/Berlin", [...windows("08:00", "12:00"), ...windows("13:00", "17:00")]);
    expect(iso(addBusinessMs(withLunch, berlin("2026-03-02 11:00"), 2 * HOUR_MS))).toBe(iso(berlin("2026-03-02 14:00")));
    expect(iso(addBusinessMs(withLunch, berlin("2026-03-02 11:00"), HOUR_MS))).toBe(iso(berlin("2026-03-02 12:00")));
    expect(iso(addBusinessMs(withLunch, berlin("2026-03-02 12:15"), HOUR_MS))).toBe(iso(berlin("2026-03-02 14:00")));
    expect(businessMsBetween(withLunch, berlin("2026-03-02 11:30"), berlin("2026-03-02 13:30"))).toBe(HOUR_MS);
    expect(businessMsBetween(withLunch, berlin("2026-03-02 00:00"), berlin("2026-03-03 00:00"))).toBe(8 * HOUR_MS);
  });

  it("reads windows listed in any order", () => {
    const shuffled = calendar("Europe/Berlin", [...windows("13:00", "17:00"), ...windows("08:00", "12:00")].reverse());
    expect(iso(addBusinessMs(shuffled, berlin("2026-03-02 07:00"), 5 * HOUR_MS))).toBe(iso(berlin("2026-03-02 14:00")));
  });
});

describe("days summer time starts or ends", () => {
  /** Open every day at night, 01:00–04:00, and in the day, 08:00–17:00. */
  const twoShifts = (timeZone: string) => calendar(timeZone, [...windows("01:00", "04:00", EVERY_DAY), ...windows("08:00", "17:00", EVERY_DAY)]);

  it.each([
    // Berlin: 02:00 CET becomes 03:00 CEST; 01:00 CET is 00:00Z, 04:00 CEST 02:00Z
    {
      zone: "Europe/Berlin",
      date: "2026-03-29",
      nightOpens: "2026-03-29T00:00:00Z",
      nightCloses: "2026-03-29T02:00:00Z",
      night: 2,
      dayOpens: "2026-03-29T06:00:00Z",
    },
    // 03:00 CEST becomes 02:00 CET; 01:00 CEST is 23:00Z the day before, 04:00 CET 03:00Z
    {
      zone: "Europe/Berlin",
      date: "2026-10-25",
      nightOpens: "2026-10-24T23:00:00Z",
      nightCloses: "2026-10-25T03:00:00Z",
      night: 4,
      dayOpens: "2026-10-25T07:00:00Z",
    },
    // New York: 02:00 EST becomes 03:00 EDT
    {
      zone: "America/New_York",
      date: "2026-03-08",
      nightOpens: "2026-03-08T06:00:00Z",
      nightCloses: "2026-03-08T08:00:00Z",
      night: 2,
      dayOpens: "2026-03-08T12:00:00Z",
    },
    // 02:00 EDT becomes 01:00 EST: 01:00 happens twice, the window opens at the first
    {
      zone: "America/New_York",
      date: "2026-11-01",
      nightOpens: "2026-11-01T05:00:00Z",
      nightCloses: "2026-11-01T09:00:00Z",
      night: 4,
      dayOpens: "2026-11-01T13:00:00Z",
    },
  ])("$zone on $date: 01:00–04:00 lasts $night h, 08:00–17:00 nine", ({ zone, date, nightOpens, nightCloses, night, dayOpens }) => {
    const hours = twoShifts(zone);
    const opens = new Date(nightOpens);
    const closes = new Date(nightCloses);
    expect(businessMsBetween(hours, opens, closes)).toBe(night * HOUR_MS);
    expect(businessMsBetween(hours, new Date(opens.getTime() - HOUR_MS), new Date(closes.getTime() + HOUR_MS))).toBe(night * HOUR_MS);
    expect(iso(addBusinessMs(hours, opens, night * HOUR_MS))).toBe(closes.toISOString());
    // the day window is nine real hours
    const dayCloses = new Date(new Date(dayOpens).getTime() + 9 * HOUR_MS);
    expect(businessMsBetween(hours, new Date(dayOpens), dayCloses)).toBe(9 * HOUR_MS);
    expect(iso(addBusinessMs(hours, opens, (night + 9) * HOUR_MS))).toBe(dayCloses.toISOString());
    // the whole local date
    const midnight = zonedInstant(date, "00:00", zone);
    const nextMidnight = zonedInstant(addDays(date, 1), "00:00", zone);
    expect(businessMsBetween(hours, midnight, nextMidnight)).toBe((night + 9) * HOUR_MS);
  });

  it.each([
    // a skipped time moves on by the jump (the kit's one rule, as warranty reads local times), east and west of Greenwich alike
    { name: "Berlin, 02:30 skipped", zone: "Europe/Berlin", date: "2026-03-29", opens: "02:30", closes: "04:00", from: "2026-03-29T01:30:00Z", hours: 0.5 },
    {
      name: "New York, 02:30 skipped",
      zone: "America/New_York",
      date: "2026-03-08",
      opens: "02:30",
      closes: "04:00",
      from: "2026-03-08T07:30:00Z",
      hours: 0.5,
    },
    {
      name: "Berlin, a window inside the skipped hour",
      zone: "Europe/Berlin",
      date: "2026-03-29",
      opens: "02:00",
      closes: "02:45",
      from: "2026-03-29T01:00:00Z",
      hours: 0.75,
    },
    {
      name: "Berlin, 01:30 to a skipped 02:30",
      zone: "Europe/Berlin",
      date: "2026-03-29",
      opens: "01:30",
      closes: "02:30",
      from: "2026-03-29T00:30:00Z",
      hours: 1,
    },
    {
      name: "Auckland, 02:30 skipped",
      zone: "Pacific/Auckland",
      date: "2026-09-27",
      opens: "02:30",
      closes: "04:00",
      from: "2026-09-26T14:30:00Z",
      hours: 0.5,
    },
    // Lord Howe jumps half an hour: 02:00 becomes 02:30
    {
      name: "Lord Howe, 02:00 to 03:00",
      zone: "Australia/Lord_Howe",
      date: "2026-10-04",
      opens: "02:00",
      closes: "03:00",
      from: "2026-10-03T15:30:00Z",
      hours: 0.5,
    },
    // a repeated time is its first occurrence, east and west alike
    { name: "Berlin, 02:30 twice", zone: "Europe/Berlin", date: "2026-10-25", opens: "01:30", closes: "02:30", from: "2026-10-24T23:30:00Z", hours: 1 },
    { name: "New York, 01:30 twice", zone: "America/New_York", date: "2026-11-01", opens: "01:30", closes: "03:00", from: "2026-11-01T05:30:00Z", hours: 2.5 },
    {
      name: "Lord Howe, 01:30 to 02:00 twice",
      zone: "Australia/Lord_Howe",
      date: "2026-04-05",
      opens: "01:00",
      closes: "02:00",
      from: "2026-04-04T14:00:00Z",
      hours: 1.5,
    },
    // Santiago skips midnight itself: Saturday 24:00 is 01:00 on Sunday
    { name: "Santiago, 00:00 skipped", zone: "America/Santiago", date: "2026-09-06", opens: "00:00", closes: "02:00", from: "2026-09-06T04:00:00Z", hours: 1 },
    {
      name: "Santiago, until 24:00 the day before",
      zone: "America/Santiago",
      date: "2026-09-05",
      opens: "22:00",
      closes: "24:00",
      from: "2026-09-06T02:00:00Z",
      hours: 2,
    },
  ])("$name: $opens–$closes on $date lasts $hours h", ({ zone, date, opens, closes, from, hours }) => {
    const weekday = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
    const hoursOf = calendar(zone, [{ weekday, opensMinute: minutes(opens), closesMinute: minutes(closes) }]);
    const dayBefore = new Date(Date.parse(`${date}T00:00:00Z`) - 24 * HOUR_MS);
    const dayAfter = new Date(Date.parse(`${date}T00:00:00Z`) + 48 * HOUR_MS);
    expect(businessMsBetween(hoursOf, dayBefore, dayAfter)).toBe(hours * HOUR_MS);
    if (from !== null) expect(iso(addBusinessMs(hoursOf, dayBefore, 1))).toBe(new Date(Date.parse(from) + 1).toISOString());
  });

  it("counts an hour once where a window moved on by the jump reaches into the next", () => {
    // 01:00–02:30 closes at 03:30 CEST on the night 02:00 becomes 03:00, after 03:00–04:00 opened
    const hoursOf = calendar("Europe/Berlin", [
      { weekday: 7, opensMinute: minutes("01:00"), closesMinute: minutes("02:30") },
      { weekday: 7, opensMinute: minutes("03:00"), closesMinute: minutes("04:00") },
    ]);
    expect(businessMsBetween(hoursOf, new Date("2026-03-28T12:00:00Z"), new Date("2026-03-30T12:00:00Z"))).toBe(2 * HOUR_MS);
    expect(iso(addBusinessMs(hoursOf, new Date("2026-03-28T12:00:00Z"), 2 * HOUR_MS))).toBe("2026-03-29T02:00:00.000Z");
  });
});

/** Deterministic random numbers (mulberry32), so a failure can be replayed. */
function randomness(seed: number) {
  let state = seed;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min: number, max: number): number => min + Math.floor(next() * (max - min + 1)) };
}

describe("businessMsBetween and addBusinessMs are inverses", () => {
  const CALENDARS: { name: string; hours: BusinessCalendar }[] = [
    {
      name: "Berlin office with holidays",
      hours: {
        ...BERLIN,
        holidays: [
          { date: "2026-04-03", name: "Good Friday" },
          { date: "2026-12-25", name: "Christmas" },
        ],
      },
    },
    {
      name: "New York with night shifts",
      hours: calendar("America/New_York", [...windows("01:00", "04:00", EVERY_DAY), ...windows("08:00", "12:00"), ...windows("13:00", "24:00")]),
    },
    { name: "Auckland, weekends too", hours: calendar("Pacific/Auckland", [...windows("00:00", "06:30", EVERY_DAY), ...windows("07:15", "24:00", [6, 7])]) },
    { name: "Santiago", hours: calendar("America/Santiago", windows("00:00", "02:00", EVERY_DAY)) },
  ];
  const YEAR_2026 = Date.parse("2026-01-01T00:00:00Z");

  it.each(CALENDARS)("$name: adding what lies between, and measuring what was added", ({ hours }) => {
    const random = randomness(20260329);
    for (let i = 0; i < 400; i++) {
      const from = new Date(YEAR_2026 + random.int(0, 365 * 24 * 60) * MINUTE_MS + random.int(0, 59_999));
      const ms = random.int(1, 5 * 24 * HOUR_MS);
      const due = addBusinessMs(hours, from, ms);
      if (due === null) throw new Error(`no due date from ${from.toISOString()}`);
      expect(businessMsBetween(hours, from, due), `${from.toISOString()} + ${ms}`).toBe(ms);
      // the earliest such instant: a millisecond before, a millisecond is missing
      expect(businessMsBetween(hours, from, new Date(due.getTime() - 1)), `${from.toISOString()} + ${ms}`).toBe(ms - 1);

      const to = new Date(from.getTime() + random.int(0, 10 * 24 * 60) * MINUTE_MS);
      const between = businessMsBetween(hours, from, to);
      const reached = addBusinessMs(hours, from, between);
      if (reached === null) throw new Error(`no due date from ${from.toISOString()}`);
      expect(reached.getTime(), `${from.toISOString()} → ${to.toISOString()}`).toBeLessThanOrEqual(to.getTime());
      expect(businessMsBetween(hours, reached, to)).toBe(0);
    }
  });

  it("splits at any instant: from → middle → to adds up", () => {
    const random = randomness(7);
    const hours = CALENDARS[1]?.hours ?? BERLIN;
    for (let i = 0; i < 300; i++) {
      const from = YEAR_2026 + random.int(0, 365 * 24 * 60) * MINUTE_MS;
      const middle = from + random.int(0, 3 * 24 * 60) * MINUTE_MS;
      const to = middle + random.int(0, 3 * 24 * 60) * MINUTE_MS;
      const whole = businessMsBetween(hours, new Date(from), new Date(to));
      expect(whole).toBe(businessMsBetween(hours, new Date(from), new Date(middle)) + businessMsBetween(hours, new Date(middle), new Date(to)));
    }
  });
});

describe("no due date", () => {
  it("has none without windows", () => {
    expect(addBusinessMs(calendar("Europe/Berlin", []), berlin("2026-03-02 09:00"), HOUR_MS)).toBeNull();
    expect(businessMsBetween(calendar("Europe/Berlin", []), berlin("2026-03-02 09:00"), berlin("2026-03-09 09:00"))).toBe(0);
  });

  it("looks about three years ahead", () => {
    // an hour a week: about two years of Mondays is found, four years is not
    const mondayHour = calendar("Europe/Berlin", windows("09:00", "10:00", [1]));
    expect(iso(addBusinessMs(mondayHour, berlin("2026-03-02 09:00"), 100 * HOUR_MS))).toBe(iso(berlin("2028-01-24 10:00")));
    expect(addBusinessMs(mondayHour, berlin("2026-03-02 09:00"), 200 * HOUR_MS)).toBeNull();
  });

  it("has none when every open day is a holiday", () => {
    const mondays = Array.from({ length: 4 * 53 }, (_, week) => addDays("2026-03-02", 7 * week));
    const closedMondays = calendar("Europe/Berlin", windows("09:00", "10:00", [1]), mondays);
    expect(addBusinessMs(closedMondays, berlin("2026-03-02 08:00"), HOUR_MS)).toBeNull();
  });
});
