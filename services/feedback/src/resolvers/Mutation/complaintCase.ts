import { currentVersion, type InputChecks, userError, type Database } from "@aftersales/kit";
import { lockCase } from "../../db/complaints.js";
import type { ComplaintCaseRow } from "../../db/schema.js";
import type { FeedbackErrorCode } from "../../domain/errors.js";

/** The case a change names, locked at the version read: another dealer's is answered like one that does not exist (row-level security). */
export async function lockCaseAt(tx: Database, input: { id: string; version: number }): Promise<ComplaintCaseRow> {
  return currentVersion(
    await lockCase(tx, input.id),
    input.version,
    userError<FeedbackErrorCode>("COMPLAINT_CASE_NOT_FOUND", `No complaint case has the id \`${input.id}\`.`, ["id"]),
  );
}

/** What every change of a worked case needs: not resolved yet, and someone who owns it. */
export function checkWorkable(checks: InputChecks<FeedbackErrorCode>, row: ComplaintCaseRow): void {
  if (row.status === "RESOLVED") checks.add("CASE_RESOLVED", "The case is resolved and takes no more changes.", ["id"]);
  else if (!row.ownerName) checks.add("OWNER_REQUIRED", "The case has no owner yet: assign it (`assignComplaintCase`) first.", ["id"]);
}
