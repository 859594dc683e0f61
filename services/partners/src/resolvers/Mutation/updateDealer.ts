import { applyPatch, currentVersion, InputChecks, mutationPayload, Refusal, userError } from "@aftersales/kit";
import { findBusinessHoursByDealerIds, findHolidaysByDealerIds, lockDealer, saveDealer } from "../../db/dealers.js";
import { hasTechnicians } from "../../db/technicians.js";
import { checkDealer, dealerDraftOf, repairsProducts } from "../../domain/dealer.js";
import type { PartnerErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const updateDealer: MutationResolvers["updateDealer"] = (_, { input: { id, version, ...patch } }, { db }) =>
  mutationPayload("dealer", db, async (tx) => {
    const current = currentVersion(
      await lockDealer(tx, id),
      version,
      userError("DEALER_NOT_FOUND", `No dealer has the id \`${id}\`.`, ["id"]),
    );
    const calendar = {
      timeZone: current.timeZone,
      windows: await findBusinessHoursByDealerIds(tx, [id]),
      holidays: await findHolidaysByDealerIds(tx, [id]),
    };
    const checks = new InputChecks<PartnerErrorCode>();
    const draft = applyPatch(checks, dealerDraftOf(current, calendar), patch, ["email", "phone", "warrantyWorkshop"]);
    const checked = checkDealer(draft, checks);
    if (!repairsProducts(checked.kind) && (await hasTechnicians(tx, id))) {
      throw new Refusal([
        userError("HAS_TECHNICIANS", "This service center has technicians; move or remove them before it stops repairing.", ["kind"]),
      ]);
    }
    return saveDealer(tx, id, checked);
  });
