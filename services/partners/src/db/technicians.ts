import { anyOf, versionedRows, type Database } from "@aftersales/kit";
import { asc, eq } from "drizzle-orm";
import type { CheckedTechnician } from "../domain/technician.js";
import { technicians } from "./schema.js";

export function findTechniciansByIds(db: Database, ids: readonly string[]) {
  return db.select().from(technicians).where(anyOf(technicians.id, ids));
}

export function findTechniciansByServiceCenterIds(db: Database, serviceCenterIds: readonly string[]) {
  return db
    .select()
    .from(technicians)
    .where(anyOf(technicians.serviceCenterId, serviceCenterIds))
    .orderBy(asc(technicians.name), asc(technicians.id));
}

/** Whether a service center still has technicians (it then cannot stop repairing). */
export async function hasTechnicians(db: Database, serviceCenterId: string): Promise<boolean> {
  const rows = await db
    .select({ id: technicians.id })
    .from(technicians)
    .where(eq(technicians.serviceCenterId, serviceCenterId))
    .limit(1);
  return rows.length > 0;
}

const technicianRows = versionedRows(technicians, "tec");

export const lockTechnician = technicianRows.lock;
export const insertTechnician = (tx: Database, values: CheckedTechnician) => technicianRows.insert(tx, values);
export const saveTechnician = (tx: Database, id: string, values: CheckedTechnician) => technicianRows.save(tx, id, values);
