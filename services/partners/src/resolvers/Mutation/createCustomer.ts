import { createdOnce, dealerScopeOf, InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { insertCustomer } from "../../db/customers.js";
import { findDealersByIds } from "../../db/dealers.js";
import { customers } from "../../db/schema.js";
import { checkCustomer, FULL_CONSENT } from "../../domain/customer.js";
import type { PartnerErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const createCustomer: MutationResolvers["createCustomer"] = (_, { input }, { db, identity }) => {
  requireRole(identity, ["ADMIN", "AGENT", "DEALER"], "register customers");
  const scope = dealerScopeOf(identity);
  return mutationPayload("customer", db, async (tx) => {
    // A dealer registers its own customers; staff say whose they are.
    const homeDealerId = input.homeDealerId ?? scope;
    const homeDealer = homeDealerId ? await findDealersByIds(tx, [homeDealerId]) : [];
    const checks = new InputChecks<PartnerErrorCode>();
    const key = input.idempotencyKey == null ? null : checks.text(input.idempotencyKey, ["idempotencyKey"], 100);
    const { idempotencyKey: _, ...fields } = input;
    const draft = {
      ...fields,
      companyName: input.companyName ?? null,
      email: input.email ?? null,
      phone: input.phone ?? null,
      location: input.location ?? null,
      homeDealerId,
      // A level left out is what the home dealer starts its customers at (BASIC when it names no dealer: refused below).
      relationshipLevel: input.relationshipLevel ?? homeDealer[0]?.defaultRelationshipLevel ?? "BASIC",
      contactConsent: input.contactConsent ?? FULL_CONSENT,
    };
    const customer = checkCustomer(draft, homeDealer.length > 0, scope, checks);
    return createdOnce(tx, customers, { dealerId: customer.homeDealerId, dealerColumn: customers.homeDealerId }, { key, input }, (keyed) =>
      insertCustomer(tx, { ...customer, ...keyed }),
    );
  });
};
