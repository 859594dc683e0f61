/**
 * The warranty rules, with no database and no GraphQL: what the subgraph
 * decides, for code that must predict its decisions (the demo world).
 */
export { adjudicateLines, claimOutcome, type ClaimLine, type LineDecision } from "./adjudication.js";
export { contractPrice, termEnd } from "./contracts.js";
export { decideCoverage, warrantyPeriod, type CoverageDecision, type PolicyTerms, type UnitFacts, type WarrantyPeriod } from "./coverage.js";
export { isMissed, visitsToCreate, type ExistingVisit } from "./maintenance.js";
export type { PlanDraft } from "./plan.js";
export type { PolicyInput } from "./policy.js";
export type { ServiceMode, StartBasis } from "./coverage.js";
