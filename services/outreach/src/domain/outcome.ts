import type { Channel } from "./reasons.js";

/**
 * What came of a contact. NO_ANSWER leaves the item open for another try;
 * every other outcome closes it. A contact made (CONTACTED, DECLINED,
 * CONVERTED) starts the dealer's interval before the customer's next one.
 */
export const OUTCOMES = ["CONTACTED", "NO_ANSWER", "DECLINED", "CONVERTED", "NOT_APPLICABLE"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Where an item is: open, closed by the dealer's outcome, or closed by the facts (MOOT). */
export const ITEM_STATUSES = ["OPEN", "CONTACTED", "DECLINED", "CONVERTED", "NOT_APPLICABLE", "MOOT"] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** The statuses that mean the customer was reached. */
export const REACHED: readonly ItemStatus[] = ["CONTACTED", "DECLINED", "CONVERTED"];

/** What a conversion links to, and the id prefix of each (the producers' `newId` prefixes). */
export const CONVERSION_KINDS = { CONTRACT: "sct", PURCHASE: "cpu", VISIT: "mvs", UNIT: "unt" } as const;
export type ConversionKind = keyof typeof CONVERSION_KINDS;

export const statusAfter = (outcome: Outcome): ItemStatus => (outcome === "NO_ANSWER" ? "OPEN" : outcome);

export interface OutcomeDraft {
  outcome: Outcome;
  channel: Channel | null;
  conversion: { kind: ConversionKind; id: string } | null;
}

export type OutcomeProblem =
  | { code: "CONVERSION_REQUIRED"; field: string[]; message: string }
  | { code: "CONVERSION_NOT_ALLOWED"; field: string[]; message: string }
  | { code: "INVALID_CONVERSION_ID"; field: string[]; message: string }
  | { code: "CHANNEL_REQUIRED"; field: string[]; message: string }
  | { code: "CHANNEL_NOT_ALLOWED"; field: string[]; message: string };

/**
 * What is wrong with an outcome as recorded: a conversion names what it led
 * to (and only a conversion does), and a contact attempt names a channel the
 * customer consented to (`consented`; null: the input alone is checked, before
 * the item is read).
 */
export function outcomeProblems(draft: OutcomeDraft, consented: readonly Channel[] | null): OutcomeProblem[] {
  const problems: OutcomeProblem[] = [];
  if (draft.outcome === "CONVERTED" && !draft.conversion) {
    problems.push({ code: "CONVERSION_REQUIRED", field: ["conversion"], message: "A conversion names the contract, purchase, visit or unit it led to." });
  }
  if (draft.outcome !== "CONVERTED" && draft.conversion) {
    problems.push({ code: "CONVERSION_NOT_ALLOWED", field: ["conversion"], message: `Only CONVERTED links what it led to; this outcome is ${draft.outcome}.` });
  }
  if (draft.conversion && !new RegExp(`^${CONVERSION_KINDS[draft.conversion.kind]}_[0-9A-HJKMNP-TV-Z]{26}$`).test(draft.conversion.id)) {
    problems.push({
      code: "INVALID_CONVERSION_ID",
      field: ["conversion", "id"],
      message: `A ${draft.conversion.kind.toLowerCase()} id starts with \`${CONVERSION_KINDS[draft.conversion.kind]}_\`.`,
    });
  }
  if (draft.outcome !== "NOT_APPLICABLE" && !draft.channel) {
    problems.push({ code: "CHANNEL_REQUIRED", field: ["channel"], message: "Say whether the customer was called (PHONE) or written to (EMAIL)." });
  }
  if (draft.channel && consented && !consented.includes(draft.channel)) {
    problems.push({
      code: "CHANNEL_NOT_ALLOWED",
      field: ["channel"],
      message: `The customer has not consented to be contacted by ${draft.channel.toLowerCase()}.`,
    });
  }
  return problems;
}
