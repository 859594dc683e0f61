import { mutationPayload, requireRole } from "@aftersales/kit";
import { emitCase, lockCasesPastDue, saveBreach } from "../../db/complaints.js";
import { STAFF } from "../../domain/access.js";
import { readDeadline } from "../../domain/complaint.js";
import type { FeedbackErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

/** Cases settled per run; a run every minute keeps up with far more breaches than that. */
const BATCH = 500;

export const recordComplaintBreaches: MutationResolvers["recordComplaintBreaches"] = async (_, __, { db, identity, now }) => {
  requireRole(identity, STAFF, "record complaint breaches");
  const { recorded, errors } = await mutationPayload<"recorded", number, FeedbackErrorCode>("recorded", db, async (tx) => {
    const at = now();
    let count = 0;
    for (const row of await lockCasesPastDue(tx, at, BATCH)) {
      const { breachedAt } = readDeadline(row, at);
      // Due exactly now is not late yet.
      if (!breachedAt) continue;
      const breached = await saveBreach(tx, row.id, breachedAt);
      await emitCase(tx, "complaint.breached", breached, { breachedAt: breachedAt.toISOString() });
      count += 1;
    }
    return count;
  });
  return { recorded: recorded ?? 0, errors };
};
