import { todayUtc, type Database } from "@aftersales/kit";
import { eq, inArray } from "drizzle-orm";
import { visitsToCreate, type VisitStatus } from "../domain/maintenance.js";
import { emitContractEvents, findContractsPastTerm, findContractUnitsByContractIds, saveContract } from "./contracts.js";
import { announceWarrantyEndings } from "./endings.js";
import { contractPlans, serviceContracts, type ContractRow } from "./schema.js";
import { findVisitsOfContracts, insertVisits, markMissedVisits } from "./visits.js";

export interface PlanningOptions {
  asOf: string;
  leadDays: number;
  graceDays: number;
}

/**
 * Creates the visits of `contracts` (active ones with visits in their plan)
 * that fall due within the lead time. Each visit is keyed by contract, unit
 * and sequence and inserted with on-conflict-do-nothing, so any number of
 * runs, concurrent ones included, create each exactly once.
 */
export async function createDueVisits(tx: Database, contracts: readonly ContractRow[], options: PlanningOptions): Promise<number> {
  if (!contracts.length) return 0;
  const ids = contracts.map((c) => c.id);
  const plans = await tx
    .select()
    .from(contractPlans)
    .where(inArray(contractPlans.id, [...new Set(contracts.map((c) => c.planId))]));
  const planById = new Map(plans.map((plan) => [plan.id, plan]));
  const units = await findContractUnitsByContractIds(tx, ids);
  const visits = await findVisitsOfContracts(tx, ids);
  const toCreate = [];
  for (const contract of contracts) {
    const plan = planById.get(contract.planId);
    if (!plan || plan.visitsPerYear === 0 || contract.status !== "ACTIVE") continue;
    for (const unit of units.filter((u) => u.contractId === contract.id)) {
      const existing = visits
        .filter((v) => v.contractId === contract.id && v.unitId === unit.unitId)
        .map((v) => ({ sequence: v.sequence, dueOn: v.dueOn, status: v.status as VisitStatus, completedOn: v.completedOn }));
      const schedule = {
        startsOn: contract.startsOn,
        endsOn: contract.endsOn,
        visitsPerYear: plan.visitsPerYear,
        floating: plan.floatingVisits,
        cancelledFrom: contract.cancelledFrom,
      };
      for (const visit of visitsToCreate(schedule, existing, options.asOf, options.leadDays)) {
        toCreate.push({ contractId: contract.id, unitId: unit.unitId, dealerId: contract.dealerId, ...visit });
      }
    }
  }
  return insertVisits(tx, toCreate);
}

/**
 * The daily run: expire contracts past their term, mark overdue visits
 * missed, create the visits coming due, and announce the warranties coming
 * to an end with no contract to follow.
 */
export async function planMaintenance(tx: Database, options: PlanningOptions = { asOf: todayUtc(), leadDays: 30, graceDays: 14 }) {
  const expired: ContractRow[] = [];
  for (const contract of await findContractsPastTerm(tx, options.asOf)) {
    expired.push(await saveContract(tx, contract.id, { status: "EXPIRED" }));
  }
  // Their events together: their units and plans are read once for all of them.
  await emitContractEvents(tx, "contract.ended", expired);
  const missed = await markMissedVisits(tx, options.asOf, options.graceDays);
  const active = await tx.select().from(serviceContracts).where(eq(serviceContracts.status, "ACTIVE"));
  const visitsCreated = await createDueVisits(tx, active, options);
  await announceWarrantyEndings(tx, null, options.asOf);
  return { visitsCreated, visitsMissed: missed.length, contractsExpired: expired.length, missed };
}
