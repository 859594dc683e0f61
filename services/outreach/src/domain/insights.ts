import { REACHED } from "./outcome.js";
import { RELATIONSHIP_LEVELS, type RelationshipLevel } from "./reasons.js";

/**
 * The rules of outreach's insights: what counts as reached, converted,
 * satisfied or a repeat purchase, and the figures worked out from the sums
 * the SQL counts. Pure, so each rule is tested by a table of cases.
 */

export const SURVEY_KINDS = ["CSAT", "POST_SALE", "NPS"] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

/** The lowest CSAT score that counts as satisfied (as the feedback insights count it). */
export const SATISFIED_FROM = 4;
/** NPS's bands: promoters score 9–10, passives 7–8, detractors 0–6. */
export const PROMOTERS_FROM = 9;
export const PASSIVES_FROM = 7;

/** The item statuses in which the customer was reached: a contact made. */
export const CONTACTED_STATUSES = REACHED;

/** `part / whole` (0–1); null when there is no whole to share. */
export const shareOf = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** What the SQL counts per group of items. */
export interface ConversionSums {
  opened: number;
  contacted: number;
  converted: number;
  /** Items with an outcome recorded, whose time to first contact is known. */
  firstContacts: number;
  /** The median and 90th percentile hours from opening to the first outcome; empty without one. */
  hoursToFirstContact: readonly number[];
}

/**
 * A group's conversion figures: of the items opened, the share whose
 * customer was reached and the share that converted (both over the items
 * opened, so reasons that seldom lead to a sale show as such).
 */
export function conversionFigures(sums: ConversionSums) {
  return {
    opened: sums.opened,
    contacted: sums.contacted,
    converted: sums.converted,
    contactRate: shareOf(sums.contacted, sums.opened),
    conversionRate: shareOf(sums.converted, sums.opened),
    firstContacts: sums.firstContacts,
    medianHoursToFirstContact: sums.hoursToFirstContact[0] ?? null,
    p90HoursToFirstContact: sums.hoursToFirstContact[1] ?? null,
  };
}

/** What the SQL counts per relationship level. */
export interface LevelSums {
  level: RelationshipLevel;
  customers: number;
  csatResponses: number;
  csatScoreSum: number;
  csatSatisfied: number;
  npsResponses: number;
  promoters: number;
  passives: number;
  detractors: number;
  buyers: number;
  repeatBuyers: number;
  owners: number;
  ownersUnderContract: number;
  units: number;
  unitsUnderContract: number;
}

/** A level's figures: satisfaction, repeat purchases and contract uptake. */
export function levelFigures(sums: LevelSums) {
  return {
    level: sums.level,
    customers: sums.customers,
    satisfaction: {
      csatResponses: sums.csatResponses,
      csatAverage: sums.csatResponses ? sums.csatScoreSum / sums.csatResponses : null,
      csatSatisfiedShare: shareOf(sums.csatSatisfied, sums.csatResponses),
      npsResponses: sums.npsResponses,
      promoters: sums.promoters,
      passives: sums.passives,
      detractors: sums.detractors,
      nps: sums.npsResponses ? ((sums.promoters - sums.detractors) * 100) / sums.npsResponses : null,
    },
    repeatPurchases: {
      buyers: sums.buyers,
      repeatBuyers: sums.repeatBuyers,
      repeatRate: shareOf(sums.repeatBuyers, sums.buyers),
    },
    contractUptake: {
      owners: sums.owners,
      ownersUnderContract: sums.ownersUnderContract,
      customerShare: shareOf(sums.ownersUnderContract, sums.owners),
      units: sums.units,
      unitsUnderContract: sums.unitsUnderContract,
      unitShare: shareOf(sums.unitsUnderContract, sums.units),
    },
  };
}

/** Every level in its order, with empty sums where the SQL found no customer at one: a chart always has four bars. */
export function everyLevel(rows: readonly LevelSums[]): LevelSums[] {
  const byLevel = new Map(rows.map((row) => [row.level, row]));
  return RELATIONSHIP_LEVELS.map(
    (level) =>
      byLevel.get(level) ?? {
        level,
        customers: 0,
        csatResponses: 0,
        csatScoreSum: 0,
        csatSatisfied: 0,
        npsResponses: 0,
        promoters: 0,
        passives: 0,
        detractors: 0,
        buyers: 0,
        repeatBuyers: 0,
        owners: 0,
        ownersUnderContract: 0,
        units: 0,
        unitsUnderContract: 0,
      },
  );
}
