import type { UnitEventResolvers } from "../generated/graphql.js";

export const UnitEvent: UnitEventResolvers = {
  customer: (event) => (event.customerId ? { id: event.customerId } : null),
};
