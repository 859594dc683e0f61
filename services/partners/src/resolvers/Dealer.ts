import { moneyOf, present, requireRole } from "@aftersales/kit";
import { READS_WEBHOOKS } from "../domain/access.js";
import { isAuthorizedWorkshopOn } from "../domain/dealer.js";
import type { DealerResolvers } from "../generated/graphql.js";
import { addressOf, geoPointOf } from "../domain/places.js";
import { dealerState } from "../db/events.js";

export const Dealer: DealerResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.dealerById.load(id),
  address: addressOf,
  location: (row) => present(geoPointOf(row), "dealer location"),
  laborRate: (row) => moneyOf(row.laborRate, row.laborRateCurrency),
  warrantyWorkshop: (row) => (row.workshopAuthorizedFrom ? { authorizedFrom: row.workshopAuthorizedFrom, authorizedUntil: row.workshopAuthorizedUntil } : null),
  isAuthorizedWorkshopOn: (row, { date }) => isAuthorizedWorkshopOn(row, date),
  eventState: async (row, _, { loaders }) => {
    const [windows, holidays] = await Promise.all([loaders.businessHoursByDealerId.load(row.id), loaders.holidaysByDealerId.load(row.id)]);
    const calendar = {
      timeZone: row.timeZone,
      windows: windows.map(({ weekday, opensMinute, closesMinute }) => ({ weekday, opensMinute, closesMinute })),
      holidays: holidays.map(({ date, name }) => ({ date, name })),
    };
    return JSON.stringify(dealerState(row, calendar));
  },
  // The calendar is the dealer row itself; its lists load only when asked for.
  calendar: (row) => row,
  outreach: (row) => ({ defaultRelationshipLevel: row.defaultRelationshipLevel, contactIntervalDays: row.contactIntervalDays }),
  technicians: async (row, { activeOnly }, { loaders }) => {
    const technicians = await loaders.techniciansByServiceCenterId.load(row.id);
    return activeOnly ? technicians.filter((t) => t.active) : technicians;
  },
  webhookEndpoints: (row, _, { loaders, identity }) => {
    requireRole(identity, READS_WEBHOOKS, "read webhook endpoints");
    return loaders.webhookEndpointsByDealerId.load(row.id);
  },
};
