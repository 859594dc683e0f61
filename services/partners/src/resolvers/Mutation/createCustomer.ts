import { mutationPayload } from "@aftersales/kit";
import { insertCustomer } from "../../db/customers.js";
import { findDealersByIds } from "../../db/dealers.js";
import { checkCustomer } from "../../domain/customer.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const createCustomer: MutationResolvers["createCustomer"] = (_, { input }, { db }) =>
  mutationPayload("customer", db, async (tx) => {
    const homeDealer = await findDealersByIds(tx, [input.homeDealerId]);
    const draft = {
      ...input,
      companyName: input.companyName ?? null,
      email: input.email ?? null,
      phone: input.phone ?? null,
      location: input.location ?? null,
      relationshipLevel: input.relationshipLevel ?? "BASIC",
    };
    return insertCustomer(tx, checkCustomer(draft, homeDealer.length > 0));
  });
