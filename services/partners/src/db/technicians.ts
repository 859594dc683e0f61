import { anyOf, dealerFilter, personalColumn, seesPersonalData, versionedRows, type Database, type Identity, type KeyedRequest } from "@aftersales/kit";
import { and, asc, eq, getTableColumns } from "drizzle-orm";
import type { CheckedTechnician } from "../domain/technician.js";
import { emitTechnicianEvent } from "./events.js";
import { technicians, type StoredTechnician, type TechnicianRow } from "./schema.js";

/** A technician's columns as the caller may read them: name and contact details are null for ANALYSTs. */
function visibleColumns(identity: Identity) {
  return {
    ...getTableColumns(technicians),
    name: personalColumn<string | null>(technicians.name, identity),
    email: personalColumn<string | null>(technicians.email, identity),
    phone: personalColumn<string | null>(technicians.phone, identity),
  };
}

/** Technicians by id, as far as the caller may see them: a DEALER only its own service center's. */
export function findTechniciansByIds(db: Database, ids: readonly string[], identity: Identity): Promise<TechnicianRow[]> {
  return db
    .select(visibleColumns(identity))
    .from(technicians)
    .where(and(anyOf(technicians.id, ids), dealerFilter(technicians.serviceCenterId, identity)));
}

/**
 * The technicians of each service center the caller may see, by name (by id
 * for ANALYSTs, who read no names): a DEALER sees none of another center's.
 */
export function findTechniciansByServiceCenterIds(db: Database, serviceCenterIds: readonly string[], identity: Identity): Promise<TechnicianRow[]> {
  const order = seesPersonalData(identity) ? [asc(technicians.name), asc(technicians.id)] : [asc(technicians.id)];
  return db
    .select(visibleColumns(identity))
    .from(technicians)
    .where(and(anyOf(technicians.serviceCenterId, serviceCenterIds), dealerFilter(technicians.serviceCenterId, identity)))
    .orderBy(...order);
}

/** Whether a service center still has technicians (it then cannot stop repairing). */
export async function hasTechnicians(db: Database, serviceCenterId: string): Promise<boolean> {
  const rows = await db.select({ id: technicians.id }).from(technicians).where(eq(technicians.serviceCenterId, serviceCenterId)).limit(1);
  return rows.length > 0;
}

const technicianRows = versionedRows(technicians, "tec");

/**
 * Reads a technician for an update and holds its row until the transaction
 * ends; null when there is none or the caller may not see it (another
 * service center's technician, for a DEALER).
 */
export async function lockTechnician(tx: Database, id: string, identity: Identity): Promise<StoredTechnician | null> {
  const [row] = await tx
    .select()
    .from(technicians)
    .where(and(eq(technicians.id, id), dealerFilter(technicians.serviceCenterId, identity)))
    .for("update");
  return row ?? null;
}

export async function insertTechnician(tx: Database, values: CheckedTechnician & Partial<KeyedRequest>): Promise<StoredTechnician> {
  const row = await technicianRows.insert(tx, values);
  await emitTechnicianEvent(tx, "technician.created", row);
  return row;
}

export async function saveTechnician(tx: Database, id: string, values: CheckedTechnician, before: StoredTechnician): Promise<StoredTechnician> {
  // Keys are unique per service center: one moved to another leaves its creation's key behind, long used.
  const moved = values.serviceCenterId !== before.serviceCenterId ? { idempotencyKey: null, inputHash: null } : {};
  const row = await technicianRows.save(tx, id, { ...values, ...moved });
  await emitTechnicianEvent(tx, "technician.updated", row);
  return row;
}
