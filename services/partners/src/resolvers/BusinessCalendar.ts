import { formatClock, weekdayOf } from "../domain/calendar.js";
import type { BusinessCalendarResolvers } from "../generated/graphql.js";

export const BusinessCalendar: BusinessCalendarResolvers = {
  timeZone: (dealer) => dealer.timeZone,
  weeklyWindows: async (dealer, _, { loaders }) =>
    (await loaders.businessHoursByDealerId.load(dealer.id)).map((w) => ({
      day: weekdayOf(w.weekday),
      opens: formatClock(w.opensMinute),
      closes: formatClock(w.closesMinute),
    })),
  holidays: (dealer, _, { loaders }) => loaders.holidaysByDealerId.load(dealer.id),
};
