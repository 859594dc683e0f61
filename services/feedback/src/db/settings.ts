import type { Database } from "@aftersales/kit";
import { eq } from "drizzle-orm";
import { DEFAULT_TIMINGS, type SurveyTimings } from "../domain/survey.js";
import { surveySettings } from "./schema.js";

const NETWORK = "network";

/** The survey timings in force: an ADMIN's, or the defaults. */
export async function surveyTimings(db: Database): Promise<SurveyTimings> {
  const [row] = await db.select().from(surveySettings).where(eq(surveySettings.id, NETWORK));
  if (!row) return DEFAULT_TIMINGS;
  const { id: _id, updatedAt: _updated, ...timings } = row;
  return timings;
}

export async function saveSurveyTimings(db: Database, timings: SurveyTimings, at: Date): Promise<void> {
  await db
    .insert(surveySettings)
    .values({ id: NETWORK, ...timings, updatedAt: at })
    .onConflictDoUpdate({ target: surveySettings.id, set: { ...timings, updatedAt: at } });
}
