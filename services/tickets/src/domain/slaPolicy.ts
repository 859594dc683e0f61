import type { InputChecks } from "@aftersales/kit";
import type { TicketErrorCode } from "./errors.js";
import { PRIORITIES, type Priority } from "./ticket.js";

/**
 * Where a ticket's SLA targets come from, with no database: the unit's
 * service contract, else the dealer's policy for the priority, else the
 * standard targets every dealer starts with.
 */

export const SLA_SOURCES = ["CONTRACT", "DEALER_POLICY", "STANDARD"] as const;
export type SlaSource = (typeof SLA_SOURCES)[number];

export interface SlaTarget {
  priority: Priority;
  responseMinutes: number;
  resolutionMinutes: number;
}

/** One target per priority, P1 first. */
export type SlaTargets = SlaTarget[];

const HOUR = 60;

/** Targets in business time for a dealer that set none: the common first-line and field-service figures. */
export const STANDARD_TARGETS: SlaTargets = [
  { priority: "P1", responseMinutes: 1 * HOUR, resolutionMinutes: 8 * HOUR },
  { priority: "P2", responseMinutes: 4 * HOUR, resolutionMinutes: 16 * HOUR },
  { priority: "P3", responseMinutes: 8 * HOUR, resolutionMinutes: 40 * HOUR },
  { priority: "P4", responseMinutes: 16 * HOUR, resolutionMinutes: 80 * HOUR },
];

/** 30 days of minutes (18 weeks of 40 business hours): no service promise is longer. */
export const MAX_TARGET_MINUTES = 43_200;

export interface DealerPolicy {
  targets: SlaTargets;
  pausesOnWaitingParts: boolean;
}

/** What a contract promises, in business hours (warranty's plan terms). */
export interface ContractTerms {
  id: string;
  number: string;
  responseHours: number;
  resolutionHours: number;
}

export interface SlaTerms {
  source: SlaSource;
  contractId: string | null;
  contractNumber: string | null;
  responseSeconds: number;
  resolutionSeconds: number;
  pausesOnWaitingParts: boolean;
}

/**
 * The targets for a ticket of `priority`. A contract's targets hold for
 * every priority (the customer paid for them); whether WAITING_PARTS pauses
 * is always the dealer's rule, as it is the dealer's workshop that waits.
 */
export function slaTerms(priority: Priority, contract: ContractTerms | null, policy: DealerPolicy | null): SlaTerms {
  const pausesOnWaitingParts = policy?.pausesOnWaitingParts ?? false;
  if (contract) {
    return {
      source: "CONTRACT",
      contractId: contract.id,
      contractNumber: contract.number,
      responseSeconds: contract.responseHours * 3600,
      resolutionSeconds: contract.resolutionHours * 3600,
      pausesOnWaitingParts,
    };
  }
  const target = targetFor(policy?.targets ?? STANDARD_TARGETS, priority);
  return {
    source: policy ? "DEALER_POLICY" : "STANDARD",
    contractId: null,
    contractNumber: null,
    responseSeconds: target.responseMinutes * 60,
    resolutionSeconds: target.resolutionMinutes * 60,
    pausesOnWaitingParts,
  };
}

/** Recomputed for a new priority: the same source, unless the targets came from a contract (which holds for every priority). */
export function slaTermsForPriority(current: SlaTerms, priority: Priority, policy: DealerPolicy | null): SlaTerms {
  if (current.source === "CONTRACT") return current;
  return { ...slaTerms(priority, null, current.source === "DEALER_POLICY" ? policy : null), pausesOnWaitingParts: current.pausesOnWaitingParts };
}

function targetFor(targets: SlaTargets, priority: Priority): SlaTarget {
  const target = targets.find((t) => t.priority === priority);
  // A stored policy always has every priority (checkSlaPolicy); a gap is a bug.
  if (!target) throw new Error(`SLA targets lack ${priority}`);
  return target;
}

/**
 * Checks a dealer's policy: exactly one target per priority, each 1 to
 * MAX_TARGET_MINUTES, and a response no later than the resolution it leads
 * to. Returns the targets P1 first.
 */
export function checkSlaTargets(checks: InputChecks<TicketErrorCode>, targets: readonly SlaTarget[]): SlaTargets {
  const given = PRIORITIES.map((priority) => targets.filter((t) => t.priority === priority));
  if (given.some((list) => list.length !== 1)) {
    const missing = PRIORITIES.filter((_, i) => given[i]?.length === 0);
    const twice = PRIORITIES.filter((_, i) => (given[i]?.length ?? 0) > 1);
    const problems = [missing.length ? `missing ${missing.join(", ")}` : null, twice.length ? `given twice: ${twice.join(", ")}` : null];
    checks.add("INCOMPLETE_TARGETS", `Give one target for each of P1, P2, P3 and P4 (${problems.filter(Boolean).join("; ")}).`, ["targets"]);
  }
  targets.forEach((target, i) => {
    checks.range(target.responseMinutes, ["targets", i, "responseMinutes"], 1, MAX_TARGET_MINUTES);
    checks.range(target.resolutionMinutes, ["targets", i, "resolutionMinutes"], 1, MAX_TARGET_MINUTES);
    if (target.responseMinutes > target.resolutionMinutes) {
      checks.add(
        "RESPONSE_AFTER_RESOLUTION",
        `The ${target.priority} response target (${target.responseMinutes} min) is longer than its resolution target (${target.resolutionMinutes} min).`,
        ["targets", i, "responseMinutes"],
      );
    }
  });
  return PRIORITIES.flatMap((priority) => targets.filter((t) => t.priority === priority).slice(0, 1)).map((t) => ({
    priority: t.priority,
    responseMinutes: t.responseMinutes,
    resolutionMinutes: t.resolutionMinutes,
  }));
}
