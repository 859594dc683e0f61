import { applyPatch, currentVersion, dealerScopeOf, InputChecks, mutationPayload, requireRole, userError } from "@aftersales/kit";
import { lockCustomer, saveCustomer } from "../../db/customers.js";
import { findDealersByIds } from "../../db/dealers.js";
import { checkCustomer, customerDraftOf } from "../../domain/customer.js";
import type { PartnerErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const updateCustomer: MutationResolvers["updateCustomer"] = (_, { input: { id, version, ...patch } }, { db, identity }) => {
  requireRole(identity, ["ADMIN", "AGENT", "DEALER"], "change customers");
  return mutationPayload("customer", db, async (tx) => {
    // Another dealer's customer is, for a DEALER, no customer at all: the same refusal as an unknown id.
    const current = currentVersion(await lockCustomer(tx, id, identity), version, userError("CUSTOMER_NOT_FOUND", `No customer has the id \`${id}\`.`, ["id"]));
    const checks = new InputChecks<PartnerErrorCode>();
    const draft = applyPatch(checks, customerDraftOf(current), patch, ["companyName", "email", "phone", "location"]);
    const homeDealer = draft.homeDealerId ? await findDealersByIds(tx, [draft.homeDealerId]) : [];
    return saveCustomer(tx, id, checkCustomer(draft, homeDealer.length > 0, dealerScopeOf(identity), checks), current);
  });
};
