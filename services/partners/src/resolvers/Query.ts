import { pageOf, requireRole, toConnection } from "@aftersales/kit";
import { apiKeyOrder, countApiKeys, findUsableApiKeyByHash, listApiKeys } from "../db/apiKeys.js";
import { countCustomers, customerOrderFor, listCustomers } from "../db/customers.js";
import { countDealers, dealerOrder, listDealers } from "../db/dealers.js";
import { countOperations, findOperationByHash, listOperations, operationOrder } from "../db/operations.js";
import { READS_WEBHOOKS } from "../domain/access.js";
import type { QueryResolvers } from "../generated/graphql.js";

export const Query: QueryResolvers = {
  dealer: (_, { id }, { loaders }) => loaders.dealerById.load(id),
  dealers: async (_, { filter, ...args }, { db }) => {
    const page = pageOf(args, dealerOrder);
    return toConnection(await listDealers(db, filter ?? {}, page), page, dealerOrder, () => countDealers(db, filter ?? {}));
  },
  technician: (_, { id }, { loaders }) => loaders.technicianById.load(id),
  customer: (_, { id }, { loaders }) => loaders.customerById.load(id),
  customers: async (_, { filter, ...args }, { db, identity }) => {
    // Finding someone by name or email is looking at personal data, which ANALYSTs do not.
    if (filter?.search?.trim()) requireRole(identity, ["DEALER", "AGENT", "ADMIN"], "search customers by name or email");
    const order = customerOrderFor(identity);
    const page = pageOf(args, order);
    return toConnection(await listCustomers(db, filter ?? {}, page, identity), page, order, () => countCustomers(db, filter ?? {}, identity));
  },
  apiKeys: async (_, { filter, ...args }, { db, identity }) => {
    requireRole(identity, ["ADMIN"], "list API keys");
    const page = pageOf(args, apiKeyOrder);
    return toConnection(await listApiKeys(db, filter ?? {}, page), page, apiKeyOrder, () => countApiKeys(db, filter ?? {}));
  },
  credentialForApiKey: async (_, { keyHash }, { db, identity }) => {
    requireRole(identity, ["ADMIN"], "look up API keys");
    const key = await findUsableApiKeyByHash(db, keyHash);
    return key && { keyId: key.id, role: key.role, dealerId: key.dealerId, operationsOnly: key.operationsOnly };
  },
  persistedOperation: (_, { hash }, { db, identity }) => findOperationByHash(db, hash, identity),
  persistedOperations: async (_, args, { db, identity }) => {
    const page = pageOf(args, operationOrder);
    return toConnection(await listOperations(db, page, identity), page, operationOrder, () => countOperations(db, identity));
  },
  webhookEndpoint: (_, { id }, { loaders, identity }) => {
    requireRole(identity, READS_WEBHOOKS, "read webhook endpoints");
    return loaders.webhookEndpointById.load(id);
  },
  webhookDelivery: (_, { id }, { loaders, identity }) => {
    requireRole(identity, READS_WEBHOOKS, "read webhook deliveries");
    return loaders.webhookDeliveryById.load(id);
  },
};
