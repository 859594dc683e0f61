import { mutationPayload, requireRole } from "@aftersales/kit";
import { insertDealer } from "../../db/dealers.js";
import { checkDealer, DEFAULT_OUTREACH } from "../../domain/dealer.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const createDealer: MutationResolvers["createDealer"] = (_, { input }, { db, identity }) => {
  // Who belongs to the network is the network's decision.
  requireRole(identity, ["ADMIN"], "register dealers");
  return mutationPayload("dealer", db, (tx) =>
    insertDealer(
      tx,
      checkDealer({
        ...input,
        email: input.email ?? null,
        phone: input.phone ?? null,
        serviceRadiusKm: input.serviceRadiusKm ?? 0,
        warrantyWorkshop: input.warrantyWorkshop ?? null,
        outreach: input.outreach ?? DEFAULT_OUTREACH,
      }),
    ),
  );
};
