import { present } from "@aftersales/kit";
import type { CustomerResolvers } from "../generated/graphql.js";
import { addressOf, geoPointOf } from "../domain/places.js";
import { customerState } from "../db/events.js";

export const Customer: CustomerResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.customerById.load(id),
  address: addressOf,
  location: geoPointOf,
  eventState: (row) => JSON.stringify(customerState(row)),
  contactConsent: (row) => ({ phone: row.phoneConsent, email: row.emailConsent, changedAt: row.consentChangedAt }),
  homeDealer: async (row, _, { loaders }) => present(await loaders.dealerById.load(row.homeDealerId), "home dealer"),
};
