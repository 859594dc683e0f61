import { InputChecks, mutationPayload, requireRole, type FieldPath } from "@aftersales/kit";
import { conversionKnown } from "../../db/conversions.js";
import { findReasonsForImport, reasonKey, recordImportedItems, type ImportedItemDraft } from "../../db/importing.js";
import type { OutreachErrorCode } from "../../domain/errors.js";
import { outcomeProblems, REACHED } from "../../domain/outcome.js";
import type { MutationResolvers } from "../../generated/graphql.js";
import { NOTE_MAX_LENGTH } from "./recordOutreachOutcome.js";

const MAX_ITEMS = 500;
const MAX_ATTEMPTS = 10;

export const importOutreachItems: MutationResolvers["importOutreachItems"] = (_, { input }, { db, identity, now }) => {
  requireRole(identity, ["ADMIN"], "import outreach items");
  return mutationPayload("items", db, async (tx) => {
    const checks = new InputChecks<OutreachErrorCode>();
    if (input.items.length < 1 || input.items.length > MAX_ITEMS) {
      checks.add("OUT_OF_RANGE", `Import 1 to ${MAX_ITEMS} items at a time; this has ${input.items.length}.`, ["items"]);
      checks.refuseIfAny();
    }
    const importedAt = now();
    const named = new Set<string>();
    const rows = input.items.map((given, i) => {
      const at = (...rest: (string | number)[]): FieldPath => ["items", i, ...rest];
      const customerId = checks.text(given.customerId, at("customerId"), 64);
      const subjectId = checks.text(given.subjectId, at("subjectId"), 64);
      const note = checks.optionalText(given.note, at("note"), NOTE_MAX_LENGTH);
      const openedAt = new Date(given.openedAt);
      const outcomeAt = new Date(given.outcomeAt);
      const attempts = (given.unansweredAttempts ?? []).map((attempt) => new Date(attempt)).sort((a, b) => a.getTime() - b.getTime());
      for (const [field, when] of [["openedAt", openedAt] as const, ["outcomeAt", outcomeAt] as const]) {
        if (when > importedAt) checks.add("DATE_IN_FUTURE", `${when.toISOString()} is in the future; import what has happened.`, at(field));
      }
      if (outcomeAt < openedAt) checks.add("OUT_OF_RANGE", "The outcome comes after the item was opened.", at("outcomeAt"));
      if (attempts.length > MAX_ATTEMPTS) checks.add("OUT_OF_RANGE", `At most ${MAX_ATTEMPTS} unanswered attempts.`, at("unansweredAttempts"));
      if (attempts.some((attempt) => attempt < openedAt || attempt > outcomeAt)) {
        checks.add("OUT_OF_RANGE", "Each unanswered attempt lies between the opening and the outcome.", at("unansweredAttempts"));
      }
      const outcome = given.outcome;
      if (outcome === "NO_ANSWER") checks.add("OUT_OF_RANGE", "An imported item is closed: unanswered attempts go in `unansweredAttempts`.", at("outcome"));
      const draft = { outcome, channel: given.channel ?? null, conversion: given.conversion ?? null };
      // The customer's consent then is not known: only what the input alone gets wrong.
      for (const problem of outcomeProblems(draft, null)) checks.add(problem.code, problem.message, at(...problem.field));
      const key = reasonKey({ customerId, kind: given.reason, subjectId });
      if (named.has(key)) checks.add("REASON_ALREADY_WORKED", "Another item of this import works the same reason.", at("subjectId"));
      named.add(key);
      return { i, customerId, kind: given.reason, subjectId, dueOn: given.dueOn ?? null, openedAt, outcomeAt, attempts, note, ...draft };
    });
    checks.refuseIfAny();

    const found = await findReasonsForImport(tx, rows);
    const drafts: ImportedItemDraft[] = [];
    for (const row of rows) {
      const reason = found.get(reasonKey(row));
      const at: FieldPath = ["items", row.i, "subjectId"];
      if (!reason) {
        checks.add("REASON_NOT_FOUND", `No ${row.kind} reason about \`${row.subjectId}\` is known of this customer.`, at);
        continue;
      }
      if (reason.itemStatus === "NOT_APPLICABLE" || REACHED.includes(reason.itemStatus ?? "OPEN")) {
        checks.add("REASON_ALREADY_WORKED", `An item worked this reason already (${reason.itemStatus}).`, at);
        continue;
      }
      if (row.conversion && !(await conversionKnown(tx, row.conversion, row.customerId))) {
        checks.add("CONVERSION_NOT_FOUND", `No ${row.conversion.kind.toLowerCase()} \`${row.conversion.id}\` of this customer is known here.`, [
          "items",
          row.i,
          "conversion",
          "id",
        ]);
      }
      if (row.outcome === "NO_ANSWER") continue;
      drafts.push({ ...row, outcome: row.outcome, reason, dueOn: row.dueOn ?? reason.row.dueOn });
    }
    checks.refuseIfAny();
    return recordImportedItems(tx, drafts, identity.subject, importedAt);
  });
};
