import { actsFor, applyPatch, currentVersion, dealerScopeOf, InputChecks, mutationPayload, Refusal, requireRole, userError } from "@aftersales/kit";
import { findBusinessHoursByDealerIds, findDealersByIds, findHolidaysByDealerIds, lockDealer, saveDealer } from "../../db/dealers.js";
import { hasTechnicians } from "../../db/technicians.js";
import { checkDealer, dealerDraftOf, repairsProducts, staffOnlyChanges } from "../../domain/dealer.js";
import type { PartnerErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const updateDealer: MutationResolvers["updateDealer"] = (_, { input: { id, version, ...patch } }, { db, identity }) => {
  requireRole(identity, ["ADMIN", "AGENT", "DEALER"], "change dealers");
  const scope = dealerScopeOf(identity);
  return mutationPayload("dealer", db, async (tx) => {
    const notFound = userError<PartnerErrorCode>("DEALER_NOT_FOUND", `No dealer has the id \`${id}\`.`, ["id"]);
    if (!actsFor(scope, id)) {
      // The directory is public, so saying that the dealer exists gives nothing away.
      const [other] = await findDealersByIds(tx, [id]);
      throw new Refusal([other ? userError("NOT_YOUR_DEALER", "A dealer may only change its own details.", ["id"]) : notFound]);
    }
    const current = currentVersion(await lockDealer(tx, id), version, notFound);
    const calendar = {
      timeZone: current.timeZone,
      windows: await findBusinessHoursByDealerIds(tx, [id]),
      holidays: await findHolidaysByDealerIds(tx, [id]),
    };
    const checks = new InputChecks<PartnerErrorCode>();
    const stored = dealerDraftOf(current, calendar);
    if (scope !== null) {
      for (const field of staffOnlyChanges(stored, patch)) {
        checks.add("NOT_PERMITTED", `Only staff may change \`${field}\`; a dealer keeps its contact details, calendar and outreach settings.`, [field]);
      }
    }
    const draft = applyPatch(checks, stored, patch, ["email", "phone", "warrantyWorkshop"]);
    const checked = checkDealer(draft, checks);
    if (!repairsProducts(checked.kind) && (await hasTechnicians(tx, id))) {
      throw new Refusal([userError("HAS_TECHNICIANS", "This service center has technicians; move or remove them before it stops repairing.", ["kind"])]);
    }
    return saveDealer(tx, id, checked);
  });
};
