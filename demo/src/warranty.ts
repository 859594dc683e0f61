/**
 * The warranty part of the demo world: each equipment's warranty terms,
 * service contract plans, contracts for units whose warranty has ended or
 * ends within a year, and warranty claims for repairs the world recorded.
 *
 * Like the rest of the world it is a pure function of the seed and `today`.
 * Where the warranty subgraph derives something (a unit's warranty period,
 * the visits a contract's plan calls for, a claim's adjudication), this file
 * asks the subgraph's own rules, so the demo can aim at each outcome and the
 * tests can hold the API to what the world expects.
 */
import { addDays, addMonthsClamped, daysBetween, multiplyAmountBy } from "@aftersales/kit";
import {
  adjudicateLines,
  claimOutcome,
  decideCoverage,
  isMissed,
  termEnd,
  visitsToCreate,
  warrantyPeriod as periodOf,
  type ExistingVisit,
  type PolicyInput,
  type PolicyTerms,
  type UnitFacts as Facts,
} from "@aftersales/warranty/domain";
import {
  CONTRACT_PLAN_FOR,
  CONTRACT_PLANS,
  PRODUCTS,
  TRAVEL_RATE_PER_KM,
  WARRANTY_TERMS,
  type ContractPlanTemplate,
  type FailureMode,
  type ServiceMode,
  type StartBasis,
} from "./data.js";
import { Random } from "./random.js";
import type { DemoCustomer, DemoDealer, DemoMoney, DemoProduct, DemoUnit } from "./world.js";

export type { ServiceMode, StartBasis };
export type CoverageKind = "WARRANTY" | "CONTRACT" | "NONE";
/** The statuses a claim is filed into (SUBMITTED, SENT_BACK and PAID come later, by hand). */
export type DemoClaimStatus = "IN_REVIEW" | "APPROVED" | "PARTIALLY_APPROVED" | "REJECTED";
export const DEMO_CLAIM_STATUSES: readonly DemoClaimStatus[] = ["APPROVED", "PARTIALLY_APPROVED", "IN_REVIEW", "REJECTED"];
export type DemoVisitStatus = "PLANNED" | "MISSED";

/** A product's warranty policy; effective from the product's launch, before its oldest sale, so every unit sold has a warranty. */
export type DemoWarrantyPolicy = PolicyInput & { productSku: string };

export type DemoContractPlan = ContractPlanTemplate;

/** A sold unit's warranty as the warranty subgraph works it out. */
export interface DemoUnitWarranty {
  serialNumber: string;
  productSku: string;
  /** Key of the selling dealer. */
  dealer: string;
  startsOn: string;
  endsOn: string;
  /** A non-transferable warranty ends on the day of a transfer. */
  voidedFrom: string | null;
  /** The last day it covers: the day before a transfer voided it, else its end. */
  lastCoveredDay: string;
}

export interface DemoMaintenanceVisit {
  serialNumber: string;
  sequence: number;
  dueOn: string;
  /** After activation and one run of `planMaintenance` today. */
  status: DemoVisitStatus;
}

export interface DemoServiceContract {
  key: string;
  /** Key of the plan. */
  plan: string;
  customer: string;
  /** Key of the selling dealer, which makes the contract. */
  dealer: string;
  serialNumbers: string[];
  /** AFTER_WARRANTY: service once the warranty has ended (it covers today); EXTENSION: bought to follow a warranty that ends within a year. */
  kind: "AFTER_WARRANTY" | "EXTENSION";
  startsOn: string;
  endsOn: string;
  visits: DemoMaintenanceVisit[];
}

export type DemoClaimLine =
  | { kind: "PART"; partSku: string; quantity: number; claimed: DemoMoney }
  | { kind: "LABOR"; hours: number; claimed: DemoMoney }
  | { kind: "TRAVEL"; km: number; claimed: DemoMoney };

export interface DemoWarrantyClaim {
  key: string;
  serialNumber: string;
  productSku: string;
  /** Key of the authorized workshop that did the repair and files the claim. */
  workshop: string;
  failureOn: string;
  repairOn: string;
  failureCode: string;
  lines: DemoClaimLine[];
  /** What covered the unit on the failure date. */
  coverage: CoverageKind;
  /** What adjudication makes of it. */
  status: DemoClaimStatus;
  /** What the claim shows, in a sentence. */
  story: string;
}

/** A unit `Dealer.warrantyExpiring` should list: its warranty ends within 60 days and no contract follows it. */
export interface DemoExpiringWarranty {
  serialNumber: string;
  dealer: string;
  warrantyEndsOn: string;
  daysLeft: number;
}

export interface DemoWarranty {
  policies: DemoWarrantyPolicy[];
  plans: DemoContractPlan[];
  /** Every sold unit's warranty. */
  units: DemoUnitWarranty[];
  contracts: DemoServiceContract[];
  /** In the order they are filed: by repair date. */
  claims: DemoWarrantyClaim[];
  expiring: DemoExpiringWarranty[];
}

/** How far ahead `Dealer.warrantyExpiring` is asked in the demo, and what no contract is made for. */
export const EXPIRING_WITHIN_DAYS = 60;
/** Contracts made after the warranty, and ones that extend a warranty ending within a year. */
const AFTER_WARRANTY_CONTRACTS = 4;
const EXTENSION_CONTRACTS = 2;
/** The planning run's defaults (`planMaintenance` without input, and activation). */
const LEAD_DAYS = 30;
const GRACE_DAYS = 14;

interface WarrantyWorldPart {
  seed: number;
  today: string;
  dealers: readonly DemoDealer[];
  customers: readonly DemoCustomer[];
  products: readonly DemoProduct[];
  units: readonly DemoUnit[];
}

export function warrantyOf(world: WarrantyWorldPart): DemoWarranty {
  const { today } = world;
  // Its own stream of random numbers: the world's draws stay as they were.
  const random = new Random((world.seed ^ 0x5741_5252) >>> 0);

  const policies = world.products
    .filter((product) => product.kind === "EQUIPMENT")
    .map((product): DemoWarrantyPolicy => {
      const terms = WARRANTY_TERMS[product.sku];
      if (!terms) throw new Error(`The demo has no warranty terms for ${product.sku}.`);
      return { productSku: product.sku, effectiveFrom: product.introducedOn, ...terms, exclusions: terms.exclusions.map((e) => ({ ...e })) };
    });
  const policyOf = new Map(policies.map((policy) => [policy.productSku, policy]));
  const plans = CONTRACT_PLANS.map((plan) => ({ ...plan }));

  const sold: SoldUnit[] = [];
  for (const unit of world.units) {
    const facts = factsOf(unit);
    const { soldOn } = facts;
    const policy = policyOf.get(unit.productSku);
    if (!soldOn || !policy) continue;
    sold.push({ unit, facts: { ...facts, soldOn }, policy, warranty: warrantyPeriod(unit, { ...facts, soldOn }, policy) });
  }

  const claims = claimsOf(random, world, sold);
  const claimed = new Set(claims.map((claim) => claim.serialNumber));
  const contracts = contractsOf(
    random,
    world,
    sold.filter((s) => !claimed.has(s.unit.serialNumber)),
    plans,
  );
  const contracted = new Set(contracts.flatMap((contract) => contract.serialNumbers));

  const expiring = sold
    .filter((s) => s.unit.status !== "RETIRED" && !contracted.has(s.unit.serialNumber))
    .map((s) => ({
      serialNumber: s.unit.serialNumber,
      dealer: s.unit.dealer,
      warrantyEndsOn: s.warranty.lastCoveredDay,
      daysLeft: daysBetween(today, s.warranty.lastCoveredDay),
    }))
    .filter((e) => e.daysLeft >= 0 && e.daysLeft <= EXPIRING_WITHIN_DAYS)
    .sort((a, b) => a.warrantyEndsOn.localeCompare(b.warrantyEndsOn) || a.serialNumber.localeCompare(b.serialNumber));

  return { policies, plans, units: sold.map((s) => s.warranty), contracts, claims, expiring };
}

// ---------------------------------------------------------------------------
// Units and their warranties

interface UnitFacts {
  soldOn: string | null;
  deliveredOn: string | null;
  installedOn: string | null;
  retiredOn: string | null;
  /** The first change of owner after the sale. */
  transferredOn: string | null;
}

interface SoldUnit {
  unit: DemoUnit;
  facts: UnitFacts & { soldOn: string };
  policy: DemoWarrantyPolicy;
  warranty: DemoUnitWarranty;
}

function factsOf(unit: DemoUnit): UnitFacts {
  const on = (kind: DemoUnit["events"][number]["kind"]) => unit.events.find((event) => event.kind === kind)?.occurredOn ?? null;
  return { soldOn: on("SOLD"), deliveredOn: on("DELIVERED"), installedOn: on("INSTALLED"), retiredOn: on("RETIRED"), transferredOn: on("TRANSFERRED") };
}

/** The warranty subgraph's terms of a demo policy. */
const termsOf = (policy: DemoWarrantyPolicy): PolicyTerms => ({ id: policy.productSku, productId: policy.productSku, version: 1, ...policy });

/** Unit facts in UTC: the demo's dates are whole days, and a decision at noon of a day is about that day. */
const utcFacts = (facts: UnitFacts): Facts => ({ ...facts, timeZone: "UTC" });
const noonOf = (day: string) => new Date(`${day}T12:00:00Z`);

/** The unit's warranty as the warranty subgraph works it out. */
function warrantyPeriod(unit: DemoUnit, facts: UnitFacts & { soldOn: string }, policy: DemoWarrantyPolicy): DemoUnitWarranty {
  const period = periodOf(utcFacts(facts), [termsOf(policy)]);
  if ("reason" in period) throw new Error(`The demo unit ${unit.serialNumber} has no warranty: ${period.explanation}`);
  const voidedEnd = period.voidedFrom ? addDays(period.voidedFrom, -1) : null;
  return {
    serialNumber: unit.serialNumber,
    productSku: unit.productSku,
    dealer: unit.dealer,
    startsOn: period.startsOn,
    endsOn: period.endsOn,
    voidedFrom: period.voidedFrom,
    lastCoveredDay: voidedEnd && voidedEnd < period.endsOn ? voidedEnd : period.endsOn,
  };
}

type WarrantyDecision = { kind: "WARRANTY" } | { kind: "NONE"; reason: "RETIRED" | "NOT_YET_STARTED" | "VOIDED_BY_TRANSFER" | "EXPIRED" | "EXCLUDED" };

/** Whether the warranty covers a failure on `day`, as the warranty subgraph decides it. */
function warrantyCovers(s: SoldUnit, day: string, failureCode: string): WarrantyDecision {
  const decision = decideCoverage({ unit: utcFacts(s.facts), policies: [termsOf(s.policy)], contracts: [], at: noonOf(day), failureCode });
  if (decision.kind === "WARRANTY") return { kind: "WARRANTY" };
  const reason = decision.reason;
  if (reason === "RETIRED" || reason === "NOT_YET_STARTED" || reason === "VOIDED_BY_TRANSFER" || reason === "EXPIRED" || reason === "EXCLUDED") {
    return { kind: "NONE", reason };
  }
  throw new Error(`The demo unit ${s.unit.serialNumber} has no warranty to decide on (${String(reason)}).`);
}

// ---------------------------------------------------------------------------
// Warranty claims

interface Repair {
  sold: SoldUnit;
  failure: FailureMode;
  failureOn: string;
  repairOn: string;
  workshop: DemoDealer;
  coverage: WarrantyDecision;
}

/**
 * Claims for repairs the world recorded (a repair's start and its end), each
 * filed by an authorized workshop of the unit's country: approved ones, one
 * whose labor runs over the standard hours (reduced), one with travel (left
 * for an agent), and one for a repair the warranty did not cover (rejected).
 */
function claimsOf(random: Random, world: WarrantyWorldPart, sold: readonly SoldUnit[]): DemoWarrantyClaim[] {
  const dealerOf = new Map(world.dealers.map((dealer) => [dealer.key, dealer]));
  const authorized = (dealer: DemoDealer, day: string) => {
    const workshop = dealer.warrantyWorkshop;
    return workshop !== null && workshop.authorizedFrom <= day && (workshop.authorizedUntil === null || day <= workshop.authorizedUntil);
  };

  const repairs: Repair[] = [];
  for (const s of sold) {
    const country = dealerOf.get(s.unit.dealer)?.address.country;
    s.unit.events.forEach((event, i) => {
      const done = s.unit.events[i + 1];
      if (event.kind !== "REPAIR_STARTED" || !("failureCode" in event) || !event.failureCode || done?.kind !== "REPAIRED") return;
      const failure = failureModeOf(s.unit.productSku, event.failureCode);
      const workshops = world.dealers.filter((d) => d.kind !== "DEALER" && d.address.country === country && authorized(d, done.occurredOn));
      if (!workshops.length) return;
      repairs.push({
        sold: s,
        failure,
        failureOn: event.occurredOn,
        repairOn: done.occurredOn,
        workshop: random.pick(workshops),
        coverage: warrantyCovers(s, event.occurredOn, failure.code),
      });
    });
  }

  const candidates = random.shuffle(repairs);
  const taken = new Set<string>();
  const take = (test: (repair: Repair) => boolean): Repair | undefined => {
    const repair = candidates.find((r) => !taken.has(r.sold.unit.serialNumber) && test(r));
    if (repair) taken.add(repair.sold.unit.serialNumber);
    return repair;
  };
  const covered = (r: Repair) => r.coverage.kind === "WARRANTY";
  // Parts are priced at list price, and list prices are in euros: other workshops' part lines wait for an agent.
  const inEuros = (r: Repair) => r.workshop.laborRate.currency === "EUR";

  const claims: Omit<DemoWarrantyClaim, "key">[] = [];
  const rejected = take((r) => r.coverage.kind === "NONE");
  if (rejected) claims.push(claimOf(rejected, "rejected"));
  const travel = take((r) => covered(r) && r.sold.policy.serviceMode === "ON_SITE");
  if (travel) claims.push(claimOf(travel, "travel", random.int(12, 85)));
  const overtime = take(covered);
  if (overtime) claims.push(claimOf(overtime, "overtime"));
  for (let i = 0; i < 2; i++) {
    const approved = take((r) => covered(r) && inEuros(r) && r.failure.partSku !== undefined) ?? take(covered);
    if (approved) claims.push(claimOf(approved, "approved"));
  }
  const elsewhere = take((r) => covered(r) && !inEuros(r)) ?? take(covered);
  if (elsewhere) claims.push(claimOf(elsewhere, "approved"));

  return claims
    .sort((a, b) => a.repairOn.localeCompare(b.repairOn) || a.serialNumber.localeCompare(b.serialNumber))
    .map((claim, i) => ({ key: `claim-${i + 1}`, ...claim }));
}

type ClaimStory = "approved" | "overtime" | "travel" | "rejected";

function claimOf(repair: Repair, story: ClaimStory, km = 0): Omit<DemoWarrantyClaim, "key"> {
  const { sold, failure, workshop, coverage } = repair;
  const { policy } = sold;
  const rate = workshop.laborRate;
  const currency = rate.currency;
  const money = (amount: string): DemoMoney => ({ amount, currency });
  // What the warranty pays is what an honest claim asks for; a rejected one asks the full price.
  const partsShare = coverage.kind === "WARRANTY" ? policy.partsShare : 100;
  const laborShare = coverage.kind === "WARRANTY" ? policy.laborShare : 100;

  const lines: DemoClaimLine[] = [];
  const part = failure.partSku ? PRODUCTS.find((p) => p.sku === failure.partSku) : undefined;
  if (part && currency === "EUR") {
    lines.push({ kind: "PART", partSku: part.sku, quantity: 1, claimed: money(multiplyAmountBy(currency, part.listPrice, [1, partsShare], 100, "half-up")) });
  }
  // Over the standard hours by one and a half hours: adjudication pays the standard.
  const hours = story === "overtime" ? failure.hours + 1.5 : failure.hours;
  lines.push({ kind: "LABOR", hours, claimed: money(multiplyAmountBy(currency, rate.amount, [hours, laborShare], 100, "half-up")) });
  if (story === "travel") {
    const perKm = TRAVEL_RATE_PER_KM[currency];
    if (!perKm) throw new Error(`The demo has no travel rate in ${currency}.`);
    lines.push({ kind: "TRAVEL", km, claimed: money(multiplyAmountBy(currency, perKm, [km], 1, "half-up")) });
  }

  const status = adjudicate(repair, lines);
  const stories: Record<ClaimStory, string> = {
    approved: "A repair under warranty, claimed at list price and standard hours",
    overtime: `Labor of ${hours} h against the ${failure.hours} h standard for ${failure.code}`,
    travel: `An on-site repair with ${km} km of travel, which no rule prices`,
    rejected: `A repair the warranty did not cover (${coverage.kind === "NONE" ? coverage.reason : ""})`,
  };
  return {
    serialNumber: sold.unit.serialNumber,
    productSku: sold.unit.productSku,
    workshop: workshop.key,
    failureOn: repair.failureOn,
    repairOn: repair.repairOn,
    failureCode: failure.code,
    lines,
    coverage: coverage.kind,
    status,
    story: stories[story],
  };
}

/**
 * The claim's status under the warranty subgraph's rules, for the lines the
 * demo files: the workshop is authorized and no claim repeats another.
 */
function adjudicate(repair: Repair, lines: readonly DemoClaimLine[]): DemoClaimStatus {
  const { sold, failure, workshop } = repair;
  const coverage = decideCoverage({
    unit: utcFacts(sold.facts),
    policies: [termsOf(sold.policy)],
    contracts: [],
    at: noonOf(repair.failureOn),
    failureCode: failure.code,
  });
  const product = PRODUCTS.find((p) => p.sku === sold.unit.productSku);
  // Parts are named by SKU on both sides here; list prices are in euros, so other currencies price nothing (as in the subgraph).
  const listPrices = new Map(
    workshop.laborRate.currency === "EUR" ? PRODUCTS.filter((p) => p.kind === "SPARE_PART").map((p) => [p.sku, p.listPrice] as const) : [],
  );
  const decisions = adjudicateLines(
    lines.map((line) => ({
      kind: line.kind,
      partId: line.kind === "PART" ? line.partSku : null,
      quantity: line.kind === "PART" ? line.quantity : null,
      hours: line.kind === "LABOR" ? line.hours : null,
      km: line.kind === "TRAVEL" ? line.km : null,
      claimedAmount: line.claimed.amount,
    })),
    {
      coverage,
      workshopAuthorized: true,
      duplicateOf: null,
      billOfMaterials: new Set(product?.billOfMaterials?.map((line) => line.partSku)),
      partListPrices: listPrices,
      standardHours: failure.hours,
      laborRate: workshop.laborRate.amount,
      currency: workshop.laborRate.currency,
      serviceMode: coverage.kind === "WARRANTY" ? sold.policy.serviceMode : null,
    },
  );
  return claimOutcome(
    lines.map((line, i) => ({ claimedAmount: line.claimed.amount, decision: decisions[i]! })),
    workshop.laborRate.currency,
  ).status;
}

function failureModeOf(sku: string, code: string): FailureMode {
  const failure = PRODUCTS.find((p) => p.sku === sku)?.failureModes?.find((mode) => mode.code === code);
  if (!failure) throw new Error(`The demo product ${sku} has no failure mode ${code}.`);
  return failure;
}

// ---------------------------------------------------------------------------
// Service contracts and their maintenance visits

/**
 * Contracts the selling dealers made with the units' owners: after the
 * warranty (one of them for several units of one owner, where someone owns
 * several that fit one plan), starting the day after the warranty ended when
 * that was within the last eight months; and extensions that start the day
 * after a warranty ending within a year (but not within the next 60 days:
 * those units are left for `warrantyExpiring` to offer contracts for).
 */
function contractsOf(random: Random, world: WarrantyWorldPart, sold: readonly SoldUnit[], plans: readonly DemoContractPlan[]): DemoServiceContract[] {
  const { today } = world;
  const customerOf = new Map(world.customers.map((customer) => [customer.key, customer]));
  interface Candidate {
    s: SoldUnit;
    owner: string;
    plan: DemoContractPlan;
  }
  const candidates: Candidate[] = [];
  for (const s of sold) {
    const owner = s.unit.owner ? customerOf.get(s.unit.owner) : undefined;
    if (!owner || !["DELIVERED", "INSTALLED", "IN_REPAIR"].includes(s.unit.status)) continue;
    const planKey = CONTRACT_PLAN_FOR[s.unit.productSku]?.[owner.kind === "BUSINESS" ? "business" : "consumer"];
    const plan = plans.find((p) => p.key === planKey);
    if (plan) candidates.push({ s, owner: owner.key, plan });
  }
  const lastDay = (c: Candidate) => c.s.warranty.lastCoveredDay;
  // Ended at least three days ago, so the contract covers today wherever the unit is.
  const ended = random.shuffle(candidates.filter((c) => lastDay(c) <= addDays(today, -3)));
  const ending = random.shuffle(candidates.filter((c) => lastDay(c) > addDays(today, EXPIRING_WITHIN_DAYS) && lastDay(c) <= addDays(today, 365)));

  const contracts: Omit<DemoServiceContract, "key" | "endsOn" | "visits">[] = [];
  const used = new Set<string>();
  const dealersWith = new Set<string>();
  const add = (group: readonly Candidate[], kind: DemoServiceContract["kind"], startsOn: string) => {
    const [first] = group;
    if (!first) return;
    for (const c of group) used.add(c.s.unit.serialNumber);
    dealersWith.add(first.s.unit.dealer);
    contracts.push({
      plan: first.plan.key,
      customer: first.owner,
      dealer: first.s.unit.dealer,
      serialNumbers: group.map((c) => c.s.unit.serialNumber),
      kind,
      startsOn,
    });
  };
  /** The next candidate not yet under contract, from a dealer without one so far where there is one. */
  const next = (pool: readonly Candidate[]) => {
    const free = pool.filter((c) => !used.has(c.s.unit.serialNumber));
    return free.find((c) => !dealersWith.has(c.s.unit.dealer)) ?? free[0];
  };
  /**
   * The day after the warranty ended, when that was within the last eight
   * months; else signed some months ago, and with a plan that has visits, so
   * that the first visit falls due within the next weeks.
   */
  const afterWarranty = (group: readonly Candidate[]) => {
    const latest = group.map(lastDay).sort().at(-1) ?? today;
    const continuous = addDays(latest, 1);
    if (continuous >= addDays(today, -240)) return continuous;
    const visitsPerYear = group[0]?.plan.visitsPerYear ?? 0;
    if (visitsPerYear === 0) return addDays(today, -random.int(20, 240));
    return addDays(addMonthsClamped(today, -12 / visitsPerYear), random.int(1, 25));
  };

  // One owner's units on one plan, together.
  const groups = new Map<string, Candidate[]>();
  for (const c of ended) groups.set(`${c.owner} ${c.plan.key}`, [...(groups.get(`${c.owner} ${c.plan.key}`) ?? []), c]);
  const several = [...groups.values()].find((group) => group.length >= 2)?.slice(0, 3);
  if (several) add(several, "AFTER_WARRANTY", afterWarranty(several));
  while (contracts.length < AFTER_WARRANTY_CONTRACTS) {
    const c = next(ended);
    if (!c) break;
    add([c], "AFTER_WARRANTY", afterWarranty([c]));
  }
  for (let i = 0; i < EXTENSION_CONTRACTS; i++) {
    const c = next(ending);
    if (c) add([c], "EXTENSION", addDays(lastDay(c), 1));
  }

  // Lists are newest first: extensions are made first, so the contracts that cover units today come first.
  const order = [...contracts.filter((c) => c.kind === "EXTENSION"), ...contracts.filter((c) => c.kind === "AFTER_WARRANTY").reverse()];
  return order.map((contract, i) => {
    const plan = plans.find((p) => p.key === contract.plan);
    if (!plan) throw new Error(`No demo plan ${contract.plan}.`);
    const endsOn = termEnd(contract.startsOn, plan.termMonths);
    return {
      key: `contract-${i + 1}`,
      ...contract,
      endsOn,
      visits: contract.serialNumbers.flatMap((serialNumber) =>
        visitsOf(plan, { startsOn: contract.startsOn, endsOn }, today).map((v) => ({ serialNumber, ...v })),
      ),
    };
  });
}

/**
 * The visits that exist once the contract is activated today (visits due
 * within the lead time are created) and `planMaintenance` has run once
 * (overdue ones past the grace days are missed, then the next ones due are
 * created), by the warranty subgraph's rules.
 */
function visitsOf(plan: DemoContractPlan, term: { startsOn: string; endsOn: string }, today: string): Omit<DemoMaintenanceVisit, "serialNumber">[] {
  if (plan.visitsPerYear === 0) return [];
  const schedule = { ...term, visitsPerYear: plan.visitsPerYear, floating: plan.floatingVisits, cancelledFrom: null };
  const existing = (visits: readonly Omit<DemoMaintenanceVisit, "serialNumber">[]): ExistingVisit[] => visits.map((visit) => ({ ...visit, completedOn: null }));
  const activated = visitsToCreate(schedule, [], today, LEAD_DAYS).map((visit) => ({ ...visit, status: "PLANNED" as DemoVisitStatus }));
  const planned = activated.map((visit) => (isMissed(visit, today, GRACE_DAYS) ? { ...visit, status: "MISSED" as const } : visit));
  const next = visitsToCreate(schedule, existing(planned), today, LEAD_DAYS).map((visit) => ({ ...visit, status: "PLANNED" as DemoVisitStatus }));
  return [...planned, ...next];
}
