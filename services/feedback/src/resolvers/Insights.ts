import { badUserInput, floatsOf, groupConnection, groupPageOf } from "@aftersales/kit";
import {
  failurePareto,
  repeatRepairGroups,
  resolutionFigures,
  resolutionGroups,
  satisfactionFigures,
  satisfactionGroups,
  satisfactionSplit,
  warrantyClaimRates,
  type GroupRow,
} from "../db/insights.js";
import { complaintRecovery } from "../db/complaints.js";
import type { ComplaintRecoveryFiguresResolvers, InsightsGroupResolvers, InsightsResolvers, WarrantyClaimRateResolvers } from "../generated/graphql.js";

export const Insights: InsightsResolvers = {
  filter: ({ scope }) => scope,
  complaintRecovery: ({ scope }, _, { db }) => complaintRecovery(db, scope),
  satisfaction: async ({ scope }, { measure, groupBy, first, after }, { db }) => {
    const page = groupPageOf({ first, after });
    const { rows, total } = await satisfactionGroups(db, scope, measure, groupBy, page);
    return groupConnection(
      rows.map((row) => ({ group: row.group, figures: satisfactionFigures(measure, row) })),
      page,
      total,
    );
  },
  satisfactionSplit: async ({ scope }, { by }, { db }) =>
    (await satisfactionSplit(db, scope, by)).map((row) => ({ key: row.key, figures: satisfactionFigures("CSAT", row) })),
  resolution: async ({ scope }, { groupBy, first, after }, { db }) => {
    const page = groupPageOf({ first, after });
    const { rows, total } = await resolutionGroups(db, scope, groupBy, page);
    return groupConnection(
      rows.map((row) => ({ group: row.group, figures: resolutionFigures(row) })),
      page,
      total,
    );
  },
  repeatRepairs: async ({ scope }, { withinDays, groupBy, first, after }, { db }) => {
    if (!Number.isInteger(withinDays) || withinDays < 1 || withinDays > 365) throw badUserInput("`withinDays` must be between 1 and 365.", "withinDays");
    const page = groupPageOf({ first, after });
    const { rows, total } = await repeatRepairGroups(db, scope, withinDays, groupBy, page);
    return groupConnection(
      rows.map((row) => ({
        group: row.group,
        repairs: Number(row.repairs),
        repeated: Number(row.repeated),
        repeatRate: row.repairs ? row.repeated / row.repairs : null,
      })),
      page,
      total,
    );
  },
  failurePareto: ({ scope }, { productId, first, after }, { db }) => failurePareto(db, scope, productId, groupPageOf({ first, after })),
  warrantyClaims: ({ scope }, { first, after }, { db }) => warrantyClaimRates(db, scope, groupPageOf({ first, after })),
};

/** The group's entity when it is grouped by one of `dimensions`. */
const entityOf = (group: GroupRow, dimensions: readonly string[]) => (dimensions.includes(group.dimension) && group.key ? { id: group.key } : null);

export const InsightsGroup: InsightsGroupResolvers = {
  product: (group) => entityOf(group, ["PRODUCT"]),
  dealer: (group) => entityOf(group, ["DEALER", "SERVICE_CENTER"]),
  technician: (group) => entityOf(group, ["TECHNICIAN"]),
};

export const WarrantyClaimRate: WarrantyClaimRateResolvers = {
  product: (row) => ({ id: row.productId }),
  claimsPer100Units: (row) => (row.unitsSold ? (row.claims * 100) / row.unitsSold : null),
};

export const ComplaintRecoveryFigures: ComplaintRecoveryFiguresResolvers = {
  opened: (row) => row.opened,
  resolved: (row) => row.resolved,
  respondedInTime: (row) => row.responded_in_time,
  breached: (row) => row.breached,
  medianHoursToResolve: (row) => floatsOf(row.hours_percentiles)[0] ?? null,
  p90HoursToResolve: (row) => floatsOf(row.hours_percentiles)[1] ?? null,
  followUpsAnswered: (row) => row.follow_ups_answered,
  satisfiedAfter: (row) => row.satisfied_after,
  satisfiedShare: (row) => (row.follow_ups_answered ? row.satisfied_after / row.follow_ups_answered : null),
};
