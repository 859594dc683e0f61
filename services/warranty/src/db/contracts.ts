import type { PayloadIn } from "@aftersales/events";
import {
  afterCursor,
  anyOf,
  countRows,
  dealerFilter,
  emitEvent,
  executeRows,
  lockUntilCommit,
  moneyOf,
  orderOf,
  present,
  sortKey,
  versionedRows,
  type Database,
  type Identity,
  type Page,
} from "@aftersales/kit";
import { and, asc, desc, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import type { ContractStatus } from "../domain/coverage.js";
import { contractPlans, contractUnits, outbox, serviceContracts, type ContractRow, type ContractUnitRow, type PlanRow } from "./schema.js";

const planRows = versionedRows(contractPlans, "pln");
const contractRows = versionedRows(serviceContracts, "sct");

export const insertPlan = planRows.insert;
export const savePlan = planRows.save;
export const lockPlan = planRows.lock;

export function findPlansByIds(db: Database, ids: readonly string[]) {
  return db.select().from(contractPlans).where(anyOf(contractPlans.id, ids));
}

export function listPlans(db: Database, includeRetired: boolean) {
  return db
    .select()
    .from(contractPlans)
    .where(includeRetired ? undefined : eq(contractPlans.offered, true))
    .orderBy(asc(contractPlans.name), asc(contractPlans.id));
}

export function findContractsByIds(db: Database, identity: Identity, ids: readonly string[]) {
  return db
    .select()
    .from(serviceContracts)
    .where(and(anyOf(serviceContracts.id, ids), dealerFilter(serviceContracts.dealerId, identity)));
}

export function findContractsByNumbers(db: Database, identity: Identity, numbers: readonly string[]) {
  return db
    .select()
    .from(serviceContracts)
    .where(and(anyOf(serviceContracts.number, numbers), dealerFilter(serviceContracts.dealerId, identity)));
}

/** Lists of contracts are newest first. */
// Ids begin with their creation time, so the newest come first; an id is unique and exact, unlike a timestamp read back into JavaScript.
export const contractOrder = sortKey([serviceContracts.id], (row: ContractRow) => [row.id], "desc");

export interface ContractFilter {
  statuses?: readonly ContractStatus[] | null;
  dealerId?: string | null;
  customerId?: string | null;
  unitId?: string | null;
}

/** The contracts a list holds: what the filter asks for, a DEALER's own only. */
function contractsListed(identity: Identity, filter: ContractFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [dealerFilter(serviceContracts.dealerId, identity)];
  if (filter.statuses?.length) conditions.push(inArray(serviceContracts.status, [...filter.statuses]));
  if (filter.dealerId) conditions.push(eq(serviceContracts.dealerId, filter.dealerId));
  if (filter.customerId) conditions.push(eq(serviceContracts.customerId, filter.customerId));
  if (filter.unitId) {
    conditions.push(sql`exists (select 1 from ${contractUnits} cu where cu.contract_id = ${serviceContracts.id} and cu.unit_id = ${filter.unitId})`);
  }
  return and(...conditions);
}

/** How many contracts a list holds, whole. */
export const countContracts = (db: Database, identity: Identity, filter: ContractFilter) => countRows(db, serviceContracts, contractsListed(identity, filter));

export function listContracts(db: Database, identity: Identity, filter: ContractFilter, page: Page) {
  return db
    .select()
    .from(serviceContracts)
    .where(and(afterCursor(contractOrder, page), contractsListed(identity, filter)))
    .orderBy(...orderOf(contractOrder))
    .limit(page.limit + 1);
}

export function findContractsByCustomerIds(db: Database, identity: Identity, customerIds: readonly string[]) {
  return db
    .select()
    .from(serviceContracts)
    .where(and(anyOf(serviceContracts.customerId, customerIds), dealerFilter(serviceContracts.dealerId, identity)))
    .orderBy(desc(serviceContracts.createdAt));
}

/** The contracts each unit is on, newest first, in the caller's scope; `unitId` says which unit asked. */
export function findContractsByUnitIds(db: Database, identity: Identity, unitIds: readonly string[]) {
  return db
    .select({ unitId: contractUnits.unitId, contract: serviceContracts })
    .from(contractUnits)
    .innerJoin(serviceContracts, eq(serviceContracts.id, contractUnits.contractId))
    .where(and(anyOf(contractUnits.unitId, unitIds), dealerFilter(serviceContracts.dealerId, identity)))
    .orderBy(desc(serviceContracts.createdAt));
}

export function findContractUnitsByContractIds(db: Database, contractIds: readonly string[]) {
  return db.select().from(contractUnits).where(anyOf(contractUnits.contractId, contractIds)).orderBy(asc(contractUnits.unitId));
}

export const lockContract = contractRows.lock;

/** `SC-<year>-<6 digits>`, from a sequence so numbers never repeat. */
export async function nextNumber(tx: Database, prefix: "SC" | "WC", sequence: string): Promise<string> {
  const [row] = await executeRows<{ n: string | number }>(tx, sql`select nextval(${`warranty.${sequence}`}) as n`);
  const n = Number(row?.n);
  return `${prefix}-${new Date().getUTCFullYear()}-${String(n).padStart(6, "0")}`;
}

export async function insertContract(
  tx: Database,
  contract: Omit<ContractRow, "id" | "version" | "createdAt" | "updatedAt">,
  units: readonly Omit<ContractUnitRow, "contractId" | "contractNumber">[],
): Promise<ContractRow> {
  const row = await contractRows.insert(tx, contract);
  await tx.insert(contractUnits).values(units.map((unit) => ({ ...unit, contractId: row.id, contractNumber: row.number })));
  return row;
}

/** Saves a locked contract and mirrors its terms onto its units' coverage rows. */
export async function saveContract(tx: Database, id: string, values: Partial<Omit<ContractRow, "id" | "version" | "createdAt" | "updatedAt">>) {
  const row = await contractRows.save(tx, id, values);
  await tx
    .update(contractUnits)
    .set({ status: row.status, startsOn: row.startsOn, endsOn: row.endsOn, cancelledFrom: row.cancelledFrom })
    .where(eq(contractUnits.contractId, id));
  return row;
}

/**
 * Holds a unit's coverage rows until the transaction ends: claims filed at
 * once for the same unit read and use its contract's caps one after the
 * other, and an activation checking for overlaps waits too (the same lock
 * `findOverlappingContracts` takes).
 */
export async function lockUnitCoverage(tx: Database, unitId: string): Promise<void> {
  await lockUntilCommit(tx, "warranty.contract_units", unitId);
}

/**
 * Active contracts of other numbers on any of `unitIds` whose term shares a
 * day with [startsOn, endsOn], read under a lock per unit so two activations
 * cannot both pass this check.
 */
export async function findOverlappingContracts(tx: Database, contractId: string, unitIds: readonly string[], startsOn: string, endsOn: string) {
  for (const unitId of [...unitIds].sort()) {
    await lockUnitCoverage(tx, unitId);
  }
  return tx
    .select()
    .from(contractUnits)
    .where(
      and(
        anyOf(contractUnits.unitId, unitIds),
        ne(contractUnits.contractId, contractId),
        eq(contractUnits.status, "ACTIVE"),
        sql`${contractUnits.startsOn} <= ${endsOn}`,
        sql`${contractUnits.endsOn} >= ${startsOn}`,
        sql`(${contractUnits.cancelledFrom} is null or ${contractUnits.cancelledFrom} > ${startsOn})`,
      ),
    );
}

/** Records what a repair under a contract used of a unit's caps. */
export async function recordContractUsage(tx: Database, contractId: string, unitId: string, laborHours: number): Promise<void> {
  await tx
    .update(contractUnits)
    .set({ casesUsed: sql`${contractUnits.casesUsed} + 1`, laborHoursUsed: sql`${contractUnits.laborHoursUsed} + ${laborHours}` })
    .where(and(eq(contractUnits.contractId, contractId), eq(contractUnits.unitId, unitId)));
}

/** Active contracts whose term has ended by `asOf`, for the daily run to expire. */
export function findContractsPastTerm(tx: Database, asOf: string) {
  return tx
    .select()
    .from(serviceContracts)
    .where(and(eq(serviceContracts.status, "ACTIVE"), sql`${serviceContracts.endsOn} < ${asOf}`));
}

/**
 * `contract.activated` and `contract.ended` (expired or cancelled), one per
 * contract, with the contract as it is after the change, the units it covers
 * and its plan's service levels, so a consumer can tell a covered unit's
 * response and resolution targets without asking this subgraph.
 */
export async function emitContractEvents(tx: Database, type: "contract.activated" | "contract.ended", contracts: readonly ContractRow[]) {
  if (!contracts.length) return;
  // One statement for the units and plans of all the contracts, however many end at once.
  const rows = await tx
    .select({
      contractId: serviceContracts.id,
      unitId: contractUnits.unitId,
      responseHours: contractPlans.responseHours,
      resolutionHours: contractPlans.resolutionHours,
    })
    .from(serviceContracts)
    .innerJoin(contractPlans, eq(contractPlans.id, serviceContracts.planId))
    .leftJoin(contractUnits, eq(contractUnits.contractId, serviceContracts.id))
    .where(
      anyOf(
        serviceContracts.id,
        contracts.map((contract) => contract.id),
      ),
    )
    .orderBy(asc(contractUnits.unitId));
  for (const contract of contracts) {
    if (contract.status === "DRAFT") throw new Error(`contract ${contract.id} is a draft: only activated contracts are announced`);
    const own = rows.filter((row) => row.contractId === contract.id);
    // Every plan has both targets (the columns are required), so a contract's event always carries them.
    const { responseHours, resolutionHours } = present(own[0], "contract's plan");
    await emitEvent<PayloadIn<"contract">>(tx, outbox, {
      type,
      aggregate: "contract",
      aggregateId: contract.id,
      dealerId: contract.dealerId,
      payload: {
        id: contract.id,
        number: contract.number,
        version: contract.version,
        planId: contract.planId,
        dealerId: contract.dealerId,
        customerId: contract.customerId,
        status: contract.status,
        startsOn: contract.startsOn,
        endsOn: contract.endsOn,
        cancelledFrom: contract.cancelledFrom,
        price: moneyOf(contract.price, contract.currency),
        refund: contract.refund === null ? null : moneyOf(contract.refund, contract.currency),
        unitIds: own.flatMap((row) => (row.unitId === null ? [] : [row.unitId])),
        plan: { responseHours, resolutionHours },
      },
    });
  }
}

export type { PlanRow };
