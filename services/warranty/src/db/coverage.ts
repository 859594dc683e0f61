import type { Loaders } from "./loaders.js";
import { decideCoverage, type ContractTerms, type CoverageDecision, type UnitFacts } from "../domain/coverage.js";
import type { QuoteLine } from "../domain/quote.js";
import { policyTermsOf } from "./policies.js";
import type { ContractUnitRow } from "./schema.js";

/** A coverage decision as the API shows it: with the instant asked about and the unit's time zone. */
export type CoverageAnswer = CoverageDecision & { at: Date; timeZone: string };

export interface QuoteAnswer {
  serialNumber: string;
  coverage: CoverageAnswer;
  lines: QuoteLineAnswer[];
  currency: string;
  total: string;
  covered: string;
  customerPays: string;
}

export type QuoteLineAnswer = QuoteLine & { currency: string };

export function contractTermsOf(row: ContractUnitRow): ContractTerms {
  return {
    id: row.contractId,
    number: row.contractNumber,
    status: row.status,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    cancelledFrom: row.cancelledFrom,
    partsCovered: row.partsCovered,
    laborCovered: row.laborCovered,
    casesLeft: row.maxCases === null ? null : Math.max(0, row.maxCases - row.casesUsed),
    laborHoursLeft: row.maxLaborHours === null ? null : Math.max(0, row.maxLaborHours - row.laborHoursUsed),
  };
}

/**
 * What covers a unit at `at`: its product's policies and its contracts come
 * through the request's loaders, so a page of units costs one query for
 * each, whatever its size.
 */
export async function coverageOf(
  loaders: Loaders,
  unit: { id: string; productId: string; facts: UnitFacts },
  at: Date,
  failureCode: string | null = null,
): Promise<CoverageAnswer> {
  const [policies, contracts] = await Promise.all([loaders.policiesByProductId.load(unit.productId), loaders.contractTermsByUnitId.load(unit.id)]);
  const decision = decideCoverage({
    unit: unit.facts,
    policies: policies.map(policyTermsOf),
    contracts: contracts.map(contractTermsOf),
    at,
    failureCode,
  });
  return { ...decision, at, timeZone: unit.facts.timeZone };
}
