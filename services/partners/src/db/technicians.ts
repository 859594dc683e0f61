import { anyOf, newId, type Database } from "@aftersales/kit";
import { asc, eq, sql } from "drizzle-orm";
import type { CheckedTechnician } from "../domain/technician.js";
import { technicians, type TechnicianRow } from "./schema.js";

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

export async function lockTechnician(tx: Database, id: string): Promise<TechnicianRow | null> {
  const [row] = await tx.select().from(technicians).where(eq(technicians.id, id)).for("update");
  return row ?? null;
}

export async function insertTechnician(tx: Database, values: CheckedTechnician): Promise<TechnicianRow> {
  const [row] = await tx.insert(technicians).values({ id: newId("tec"), ...values }).returning();
  if (!row) throw new Error("insert returned no technician");
  return row;
}

export async function saveTechnician(tx: Database, id: string, values: CheckedTechnician): Promise<TechnicianRow> {
  const [row] = await tx
    .update(technicians)
    .set({ ...values, version: sql`${technicians.version} + 1`, updatedAt: sql`now()` })
    .where(eq(technicians.id, id))
    .returning();
  if (!row) throw new Error(`technician ${id} vanished while locked`);
  return row;
}
