import { addDays, anniversary, localDate } from "@aftersales/kit";

export type StartBasis = "PURCHASE" | "DELIVERY" | "INSTALLATION";
export type ServiceMode = "ON_SITE" | "CARRY_IN";

export interface Exclusion {
  failureCode: string;
  description: string;
}

export interface PolicyTerms {
  id: string;
  productId: string;
  version: number;
  effectiveFrom: string;
  months: number;
  startBasis: StartBasis;
  partsShare: number;
  laborShare: number;
  serviceMode: ServiceMode;
  transferable: boolean;
  exclusions: readonly Exclusion[];
}

/** What coverage needs to know about a unit (from the catalog, via federation or events). */
export interface UnitFacts {
  soldOn: string | null;
  deliveredOn: string | null;
  installedOn: string | null;
  /** The first transfer to another owner after the sale. */
  transferredOn: string | null;
  retiredOn: string | null;
  /** Where the unit was sold: its days start and end there. */
  timeZone: string;
}

export type ContractStatus = "DRAFT" | "ACTIVE" | "EXPIRED" | "CANCELLED";

export interface ContractTerms {
  id: string;
  /** What people call it, e.g. `SC-2026-000042`. */
  number: string;
  status: ContractStatus;
  startsOn: string;
  /** Last day of the term. */
  endsOn: string;
  /** Cancellation takes effect on this day: the contract covers up to the day before. */
  cancelledFrom: string | null;
  partsCovered: boolean;
  laborCovered: boolean;
  casesLeft: number | null;
  laborHoursLeft: number | null;
}

export type NoCoverageReason = "NOT_REGISTERED" | "NO_POLICY" | "NOT_YET_STARTED" | "EXPIRED" | "VOIDED_BY_TRANSFER" | "RETIRED" | "EXCLUDED";

export interface WarrantyPeriod {
  policy: PolicyTerms;
  /** The basis the warranty actually started from (differs from policy.startBasis on a fallback). */
  startBasisUsed: StartBasis;
  fallback: boolean;
  startsOn: string;
  /** Last covered day. */
  endsOn: string;
  /** Voided from this day on (a non-transferable warranty's transfer); null otherwise. */
  voidedFrom: string | null;
  explanation: string;
}

export interface CoverageDecision {
  kind: "WARRANTY" | "CONTRACT" | "NONE";
  /** The unit's local date the decision is for. */
  onDate: string;
  partsShare: number;
  laborShare: number;
  /** The unit's warranty policy whenever it has a warranty period, whatever the kind. */
  policy: PolicyTerms | null;
  /** The contract that decided (kind CONTRACT only). */
  contract: ContractTerms | null;
  /** The covering term: the warranty's, or the contract's under CONTRACT; the warranty's for NONE when there is one. */
  startsOn: string | null;
  endsOn: string | null;
  reason: NoCoverageReason | null;
  explanation: string;
  /** The unit's warranty period whenever it has one, whatever the kind. */
  warranty: WarrantyPeriod | null;
}

/**
 * The policy version a unit was sold under: the latest `effectiveFrom` on or
 * before the sale. Units keep it for life; a later version applies only to
 * units sold after it took effect. Two versions effective the same day: the
 * higher version number wins. The caller passes one product's policies.
 */
export function policyInForce(policies: readonly PolicyTerms[], soldOn: string): PolicyTerms | null {
  let best: PolicyTerms | null = null;
  for (const policy of policies) {
    if (policy.effectiveFrom > soldOn) continue;
    if (!best || policy.effectiveFrom > best.effectiveFrom || (policy.effectiveFrom === best.effectiveFrom && policy.version > best.version)) {
      best = policy;
    }
  }
  return best;
}

const basisNoun: Record<StartBasis, string> = { PURCHASE: "purchase", DELIVERY: "delivery", INSTALLATION: "installation" };

/**
 * Where the warranty starts. PURCHASE: the sale. DELIVERY: delivery, else the
 * sale. INSTALLATION: installation, else delivery, else the sale. Falling back
 * to an earlier date never lengthens the warranty, so a dealer who forgets to
 * record an installation cannot extend it.
 */
function startOf(policy: PolicyTerms, unit: UnitFacts & { soldOn: string }): { basis: StartBasis; on: string; missing: string | null } {
  if (policy.startBasis === "INSTALLATION") {
    if (unit.installedOn) return { basis: "INSTALLATION", on: unit.installedOn, missing: null };
    if (unit.deliveredOn) return { basis: "DELIVERY", on: unit.deliveredOn, missing: "Installation is not recorded" };
    return { basis: "PURCHASE", on: unit.soldOn, missing: "Neither installation nor delivery is recorded" };
  }
  if (policy.startBasis === "DELIVERY") {
    if (unit.deliveredOn) return { basis: "DELIVERY", on: unit.deliveredOn, missing: null };
    return { basis: "PURCHASE", on: unit.soldOn, missing: "Delivery is not recorded" };
  }
  return { basis: "PURCHASE", on: unit.soldOn, missing: null };
}

/**
 * A unit's warranty: the policy it was sold under, from its start basis for
 * the policy's months. The last covered day is the day before the
 * anniversary, so 12 months from 2024-02-29 cover through 2025-02-28 and one
 * month from 2025-01-31 through 2025-02-28.
 */
export function warrantyPeriod(
  unit: UnitFacts,
  policies: readonly PolicyTerms[],
): WarrantyPeriod | { reason: "NOT_REGISTERED" | "NO_POLICY"; explanation: string } {
  const { soldOn } = unit;
  // Only a sale registers a warranty: a unit in stock has none yet.
  if (!soldOn) return { reason: "NOT_REGISTERED", explanation: "The unit has not been sold, so no warranty is registered." };
  const policy = policyInForce(policies, soldOn);
  if (!policy) return { reason: "NO_POLICY", explanation: `No warranty policy was in force when the unit was sold on ${soldOn}.` };

  const start = startOf(policy, { ...unit, soldOn });
  const endsOn = addDays(anniversary(start.on, policy.months), -1);
  // A non-transferable warranty ends with the first change of owner; a
  // transfer after the warranty ran out voids nothing.
  const voidedFrom = !policy.transferable && unit.transferredOn && unit.transferredOn <= endsOn ? unit.transferredOn : null;
  const runs = start.missing
    ? `${start.missing}, so the warranty runs from ${basisNoun[start.basis]} on ${start.on}.`
    : `The warranty runs from ${basisNoun[start.basis]} on ${start.on}.`;
  return {
    policy,
    startBasisUsed: start.basis,
    fallback: start.missing !== null,
    startsOn: start.on,
    endsOn,
    voidedFrom,
    explanation: `${runs} It covers ${policy.months === 1 ? "1 month" : `${policy.months} months`}, through ${endsOn}.`,
  };
}

/**
 * A contract covers a day when it is no draft, the day lies in its term, and
 * no cancellation has taken effect by then. The status alone does not
 * decide: an EXPIRED or CANCELLED contract still covered the days of its
 * term, which matters for a claim about a failure in the past.
 */
export function contractCovers(contract: ContractTerms, day: string): boolean {
  return contract.status !== "DRAFT" && contract.startsOn <= day && day <= contract.endsOn && (contract.cancelledFrom === null || day < contract.cancelledFrom);
}

/** The last day a contract covers: the day before its cancellation when that came first. */
export function contractLastDay(contract: ContractTerms): string {
  if (contract.cancelledFrom === null) return contract.endsOn;
  const dayBefore = addDays(contract.cancelledFrom, -1);
  return dayBefore < contract.endsOn ? dayBefore : contract.endsOn;
}

const sharesOf = (parts: number, labor: number): string => `${parts} % of parts and ${labor} % of labor`;

type Denial = { reason: NoCoverageReason; explanation: string };

/**
 * Why the warranty does not cover day `onDate`, checked in this order:
 * retired on or before the day; the day before the first covered day; a
 * non-transferable warranty's transfer on or before the day (a transferable
 * one goes on with the new owner); the day after the last covered day; the
 * failure listed among the policy's exclusions. Null when it covers.
 */
function warrantyDenial(warranty: WarrantyPeriod, unit: UnitFacts, onDate: string, failureCode: string | null | undefined): Denial | null {
  const { policy, startsOn, endsOn, voidedFrom } = warranty;
  if (unit.retiredOn && unit.retiredOn <= onDate) {
    return { reason: "RETIRED", explanation: `The unit was retired on ${unit.retiredOn}, so nothing covers it any more.` };
  }
  if (onDate < startsOn) {
    return { reason: "NOT_YET_STARTED", explanation: `The warranty has not started on ${onDate}: its first covered day is ${startsOn}.` };
  }
  if (voidedFrom !== null && voidedFrom <= onDate) {
    return {
      reason: "VOIDED_BY_TRANSFER",
      explanation: `The warranty is not transferable and ended when the unit changed owner on ${voidedFrom}.`,
    };
  }
  if (onDate > endsOn) return { reason: "EXPIRED", explanation: `The warranty expired: its last covered day was ${endsOn}.` };
  const excluded = failureCode ? policy.exclusions.find((e) => e.failureCode === failureCode) : undefined;
  if (excluded) {
    return {
      reason: "EXCLUDED",
      explanation: `The warranty excludes failure ${excluded.failureCode}: ${excluded.description.replace(/\.$/, "")}.`,
    };
  }
  return null;
}

/**
 * Whether a unit is covered on the day `at` falls on in its own time zone,
 * and by what. The warranty goes first; when it does not cover, a service
 * contract may. A decision depends only on the facts and `at`, never on
 * today, so one for a past failure date stays the same however late it is asked.
 */
export function decideCoverage(input: {
  unit: UnitFacts;
  policies: readonly PolicyTerms[];
  contracts: readonly ContractTerms[];
  at: Date;
  failureCode?: string | null;
}): CoverageDecision {
  const { unit, contracts, failureCode } = input;
  // Covered days are whole days where the unit was sold, not UTC days.
  const onDate = localDate(input.at, unit.timeZone);
  const found = warrantyPeriod(unit, input.policies);
  const warranty = "policy" in found ? found : null;

  let denial: Denial;
  if ("policy" in found) {
    const why = warrantyDenial(found, unit, onDate, failureCode);
    if (!why) {
      const { policy } = found;
      return {
        kind: "WARRANTY",
        onDate,
        partsShare: policy.partsShare,
        laborShare: policy.laborShare,
        policy,
        contract: null,
        startsOn: found.startsOn,
        endsOn: found.endsOn,
        reason: null,
        explanation: `${found.explanation} On ${onDate} it covers ${sharesOf(policy.partsShare, policy.laborShare)}.`,
        warranty: found,
      };
    }
    denial = why;
  } else {
    denial = { reason: found.reason, explanation: found.explanation };
  }
  const { reason, explanation } = denial;

  // Where the warranty does not cover, a contract covering the day decides,
  // except for a unit never sold (contracts are sold for registered units)
  // or one retired (scrapped: nothing left to repair). Contracts carry no
  // exclusions, so a failure the warranty excludes is covered by one. Of
  // several, the one that started latest (the renewal); same start, the
  // later last day, then the id, so the choice never depends on row order.
  const contract =
    reason === "NOT_REGISTERED" || reason === "RETIRED"
      ? undefined
      : contracts
          .filter((c) => contractCovers(c, onDate))
          .sort((a, b) => b.startsOn.localeCompare(a.startsOn) || contractLastDay(b).localeCompare(contractLastDay(a)) || a.id.localeCompare(b.id))[0];
  if (contract) {
    const partsShare = contract.partsCovered ? 100 : 0;
    const laborShare = contract.laborCovered ? 100 : 0;
    const endsOn = contractLastDay(contract);
    return {
      kind: "CONTRACT",
      onDate,
      partsShare,
      laborShare,
      policy: warranty?.policy ?? null,
      contract,
      startsOn: contract.startsOn,
      endsOn,
      reason: null,
      explanation: `${explanation} Service contract ${contract.number} covers ${sharesOf(partsShare, laborShare)} from ${contract.startsOn} through ${endsOn}.`,
      warranty,
    };
  }
  return {
    kind: "NONE",
    onDate,
    partsShare: 0,
    laborShare: 0,
    policy: warranty?.policy ?? null,
    contract: null,
    startsOn: warranty?.startsOn ?? null,
    endsOn: warranty?.endsOn ?? null,
    reason,
    explanation,
    warranty,
  };
}
