import { badUserInput, dealerScopeOf, groupConnection, groupPageOf, requireRole } from "@aftersales/kit";
import { conversionGroups, levelSums, type OutreachInsightsScope } from "../db/insights.js";
import { READS_INSIGHTS } from "../domain/access.js";
import { conversionFigures, everyLevel, levelFigures } from "../domain/insights.js";
import type { OutreachInsightsFilter, OutreachInsightsGroupResolvers, OutreachInsightsResolvers, QueryResolvers } from "../generated/graphql.js";

export const outreachInsights: QueryResolvers["outreachInsights"] = (_, { filter }, { identity }) => {
  requireRole(identity, READS_INSIGHTS, "read outreach insights");
  return { scope: insightsScope(filter ?? {}, dealerScopeOf(identity)) };
};

export const OutreachInsights: OutreachInsightsResolvers = {
  filter: ({ scope }) => scope,
  conversion: async ({ scope }, { groupBy, first, after }, { db }) => {
    const page = groupPageOf({ first, after });
    const { rows, total } = await conversionGroups(db, scope, groupBy, page);
    return groupConnection(
      rows.map((row) => ({ group: row.group, figures: { ...conversionFigures(row.sums), revenue: row.revenue } })),
      page,
      total,
    );
  },
  relationshipLevels: async ({ scope }, _, { db }) => everyLevel(await levelSums(db, scope)).map(levelFigures),
};

export const OutreachInsightsGroup: OutreachInsightsGroupResolvers = {
  dealer: (group) => (group.dimension === "DEALER" ? { id: group.key } : null),
};

/** The filter as applied: a period in order, empty lists as none, a DEALER's own dealer in place of any it named. */
function insightsScope(filter: OutreachInsightsFilter, ownDealer: string | null): OutreachInsightsScope {
  if (filter.from && filter.to && filter.from > filter.to) throw badUserInput("`filter.from` must not be after `filter.to`.", "filter");
  const ids = <T extends string>(list: readonly T[] | null | undefined) => (list?.length ? [...new Set(list)] : null);
  return {
    from: filter.from ?? null,
    to: filter.to ?? null,
    dealerIds: ownDealer ? [ownDealer] : ids(filter.dealerIds),
    reasons: ids(filter.reasons),
  };
}
