import type { Resolvers } from "../generated/graphql.js";
import { ApiKey } from "./ApiKey.js";
import { BusinessCalendar } from "./BusinessCalendar.js";
import { Customer } from "./Customer.js";
import { Dealer } from "./Dealer.js";
import { createApiKey } from "./Mutation/createApiKey.js";
import { createCustomer } from "./Mutation/createCustomer.js";
import { createDealer } from "./Mutation/createDealer.js";
import { createTechnician } from "./Mutation/createTechnician.js";
import { registerOperation } from "./Mutation/registerOperation.js";
import { revokeApiKey } from "./Mutation/revokeApiKey.js";
import { updateCustomer } from "./Mutation/updateCustomer.js";
import { updateDealer } from "./Mutation/updateDealer.js";
import { updateTechnician } from "./Mutation/updateTechnician.js";
import { PersistedOperation } from "./PersistedOperation.js";
import { Query } from "./Query.js";
import { Technician } from "./Technician.js";

export const resolvers: Resolvers = {
  Query,
  Mutation: {
    createDealer,
    updateDealer,
    createTechnician,
    updateTechnician,
    createCustomer,
    updateCustomer,
    createApiKey,
    revokeApiKey,
    registerOperation,
  },
  Dealer,
  BusinessCalendar,
  Technician,
  Customer,
  ApiKey,
  PersistedOperation,
};
