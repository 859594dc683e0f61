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
import { registerWebhookEndpoint } from "./Mutation/registerWebhookEndpoint.js";
import { removeWebhookEndpoint } from "./Mutation/removeWebhookEndpoint.js";
import { replayWebhookDelivery } from "./Mutation/replayWebhookDelivery.js";
import { revokeApiKey } from "./Mutation/revokeApiKey.js";
import { rotateWebhookSecret } from "./Mutation/rotateWebhookSecret.js";
import { updateCustomer } from "./Mutation/updateCustomer.js";
import { updateDealer } from "./Mutation/updateDealer.js";
import { updateTechnician } from "./Mutation/updateTechnician.js";
import { updateWebhookEndpoint } from "./Mutation/updateWebhookEndpoint.js";
import { PersistedOperation } from "./PersistedOperation.js";
import { Query } from "./Query.js";
import { Technician } from "./Technician.js";
import { WebhookDelivery } from "./WebhookDelivery.js";
import { WebhookEndpoint } from "./WebhookEndpoint.js";

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
    registerWebhookEndpoint,
    updateWebhookEndpoint,
    rotateWebhookSecret,
    removeWebhookEndpoint,
    replayWebhookDelivery,
  },
  Dealer,
  BusinessCalendar,
  Technician,
  Customer,
  ApiKey,
  PersistedOperation,
  WebhookEndpoint,
  WebhookDelivery,
};
