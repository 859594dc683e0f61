import { badUserInput, dealerScopeOf, pageOf, toConnection, type Identity } from "@aftersales/kit";
import { claimOrder, claimTotals, countClaims, listClaims } from "../db/claims.js";
import { contractOrder, countContracts, listContracts, listPlans } from "../db/contracts.js";
import { coverageOf, type QuoteAnswer } from "../db/coverage.js";
import type { Loaders } from "../db/loaders.js";
import { findUnitsSoldCount, knownUnitFacts } from "../db/units.js";
import { quoteCoverage } from "../domain/quote.js";
import type { QueryResolvers } from "../generated/graphql.js";

export const Query: QueryResolvers = {
  warrantyPolicies: (_, { productId }, { loaders }) => loaders.policiesByProductId.load(productId),
  contractPlans: (_, { includeRetired }, { db }) => listPlans(db, includeRetired ?? false),
  serviceContract: (_, { id, number }, { loaders }) => {
    if (id && !number) return loaders.contractById.load(id);
    if (number && !id) return loaders.contractByNumber.load(number.trim());
    throw badUserInput("Give exactly one of `id` and `number`.");
  },
  serviceContracts: async (_, { filter, ...args }, { db, identity }) => {
    const page = pageOf(args, contractOrder);
    return toConnection(await listContracts(db, identity, filter ?? {}, page), page, contractOrder, () => countContracts(db, identity, filter ?? {}));
  },
  coverageQuote: (_, args, { loaders, identity }) =>
    quote(loaders, identity, {
      serialNumber: args.serialNumber.trim(),
      at: args.at ?? new Date(),
      failureCode: args.failureCode?.trim().toUpperCase() || null,
      parts: args.parts ?? [],
      laborHours: args.laborHours ?? 0,
    }),
  warrantyClaim: (_, { id, number }, { loaders }) => {
    if (id && !number) return loaders.claimById.load(id);
    if (number && !id) return loaders.claimByNumber.load(number.trim());
    throw badUserInput("Give exactly one of `id` and `number`.");
  },
  warrantyClaims: async (_, { filter, ...args }, { db, identity }) => {
    const page = pageOf(args, claimOrder);
    return toConnection(await listClaims(db, identity, filter ?? {}, page), page, claimOrder, () => countClaims(db, identity, filter ?? {}));
  },
  warrantyClaimStats: async (_, { from, to, productId }, { db, identity }) => {
    if (from > to) throw badUserInput("`from` must not be after `to`.", "from");
    const totals = await claimTotals(db, identity, { from, to, productId: productId ?? null });
    const sold = await findUnitsSoldCount(db, [...new Set(totals.map((row) => row.productId))], to, dealerScopeOf(identity));
    const soldByProduct = new Map(sold.map((row) => [row.productId, row.count]));
    return totals.map((row) => ({ ...row, unitsSold: soldByProduct.get(row.productId) ?? 0 }));
  },
};

/**
 * A preview of a repair's cost: coverage at `at`, parts at list price, labor
 * at the asking dealer's rate (the unit's dealer's for staff), under the same
 * rules claims are adjudicated by.
 */
async function quote(
  loaders: Loaders,
  identity: Identity,
  args: { serialNumber: string; at: Date; failureCode: string | null; parts: readonly { partId: string; quantity: number }[]; laborHours: number },
): Promise<QuoteAnswer | null> {
  if (args.laborHours < 0 || args.laborHours > 100) throw badUserInput("`laborHours` must be between 0 and 100.", "laborHours");
  if (args.parts.some((part) => !Number.isInteger(part.quantity) || part.quantity < 1 || part.quantity > 1000)) {
    throw badUserInput("Each part's `quantity` must be between 1 and 1000.", "parts");
  }
  const unit = await loaders.knownUnitBySerialNumber.load(args.serialNumber);
  if (!unit) return null;
  const [seller, workshop, product, ...parts] = await Promise.all([
    loaders.knownDealerById.load(unit.dealerId),
    loaders.knownDealerById.load(dealerScopeOf(identity) ?? unit.dealerId),
    loaders.knownProductById.load(unit.productId),
    ...args.parts.map((part) => loaders.knownProductById.load(part.partId)),
  ]);
  const coverage = await coverageOf(
    loaders,
    { id: unit.id, productId: unit.productId, facts: knownUnitFacts(unit, seller?.timeZone ?? null) },
    args.at,
    args.failureCode,
  );
  const bom = new Set(product?.billOfMaterials.map((line) => line.partId));
  const standard = args.failureCode ? product?.repairStandards.find((s) => s.failureCode === args.failureCode) : undefined;
  const currency = workshop?.currency ?? product?.currency ?? "EUR";
  const result = quoteCoverage({
    coverage,
    currency,
    parts: args.parts.map((part, i) => ({
      partId: part.partId,
      quantity: part.quantity,
      // A list price in another currency prices nothing here, as in a claim.
      listPrice: parts[i]?.currency === currency ? parts[i].listPrice : null,
      inBillOfMaterials: bom.has(part.partId),
    })),
    laborHours: args.laborHours,
    laborRate: workshop?.laborRate ?? "0.00",
    standardHours: standard?.hours ?? null,
  });
  return {
    serialNumber: unit.serialNumber,
    coverage,
    currency,
    ...result,
    lines: result.lines.map((line) => ({ ...line, currency })),
  };
}
