import { currentVersion, InputChecks, mutationPayload, requireRole, userError } from "@aftersales/kit";
import { eq, sql } from "drizzle-orm";
import { conversionKnown } from "../../db/conversions.js";
import { items, knownCustomers } from "../../db/schema.js";
import { emitItemEvent, reasonsOfItem } from "../../db/worklist.js";
import { WORKS_OUTREACH } from "../../domain/access.js";
import type { OutreachErrorCode } from "../../domain/errors.js";
import { outcomeProblems, statusAfter } from "../../domain/outcome.js";
import { channelsOf } from "../../domain/reasons.js";
import type { MutationResolvers } from "../../generated/graphql.js";

/** A note on an outcome: a few paragraphs. */
export const NOTE_MAX_LENGTH = 2000;

export const recordOutreachOutcome: MutationResolvers["recordOutreachOutcome"] = (_, { input }, { db, identity, now }) => {
  requireRole(identity, WORKS_OUTREACH, "record outreach outcomes");
  return mutationPayload("item", db, async (tx) => {
    const checks = new InputChecks<OutreachErrorCode>();
    const note = checks.optionalText(input.note, ["note"], NOTE_MAX_LENGTH);
    const conversion = input.conversion ?? null;
    const draft = { outcome: input.outcome, channel: input.channel ?? null, conversion };
    // What the input alone gets wrong is said at once, before the item is read.
    for (const problem of outcomeProblems(draft, null)) checks.add(problem.code, problem.message, problem.field);
    checks.refuseIfAny();
    // Row-level security hides another dealer's item: it is refused as unknown, like one that does not exist.
    const [row] = await tx.select().from(items).where(eq(items.id, input.itemId)).for("update");
    const item = currentVersion(
      row ?? null,
      input.version,
      userError<OutreachErrorCode>("ITEM_NOT_FOUND", `No outreach item has the id \`${input.itemId}\`.`, ["itemId"]),
    );
    if (item.status !== "OPEN") {
      checks.add("ITEM_CLOSED", `The item is closed (${item.status}); an outcome is recorded on an open item only.`, ["itemId"]);
    }
    const [customer] = await tx.select().from(knownCustomers).where(eq(knownCustomers.id, item.customerId));
    const consented = customer ? channelsOf({ phone: customer.phoneConsent, email: customer.emailConsent }) : item.channels;
    for (const problem of outcomeProblems(draft, consented).filter((p) => p.code === "CHANNEL_NOT_ALLOWED")) {
      checks.add(problem.code, problem.message, problem.field);
    }
    checks.refuseIfAny();
    if (conversion && !(await conversionKnown(tx, conversion, item.customerId))) {
      checks.add(
        "CONVERSION_NOT_FOUND",
        `No ${conversion.kind.toLowerCase()} \`${conversion.id}\` of this customer is known here yet (it arrives with its event; try again in a moment).`,
        ["conversion", "id"],
      );
    }
    checks.refuseIfAny();
    const at = now();
    const status = statusAfter(input.outcome);
    const [saved] = await tx
      .update(items)
      .set({
        status,
        version: sql`${items.version} + 1`,
        attempts: input.outcome === "NO_ANSWER" ? sql`${items.attempts} + 1` : items.attempts,
        closedAt: status === "OPEN" ? null : at,
        outcome: input.outcome,
        outcomeChannel: input.channel ?? null,
        outcomeNote: note,
        outcomeAt: at,
        firstOutcomeAt: sql`coalesce(${items.firstOutcomeAt}, ${at.toISOString()}::timestamptz)`,
        recordedBy: identity.subject,
        conversionKind: conversion?.kind ?? null,
        conversionId: conversion?.id ?? null,
      })
      .where(eq(items.id, item.id))
      .returning();
    if (status !== "OPEN") await emitItemEvent(tx, "outreach.closed", saved!, await reasonsOfItem(tx, item.id));
    return saved!;
  });
};
