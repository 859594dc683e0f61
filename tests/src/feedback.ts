import type { Client } from "./graph.js";

/** What one run of the survey schedule did. */
export interface SurveyRun {
  opened: number;
  cancelled: number;
  expired: number;
}

/** Runs the survey schedule (`openDueSurveys`) as `client`, as the scheduler does every minute. */
export async function runSurveySchedule(client: Client): Promise<SurveyRun> {
  const data = await client.query<{ openDueSurveys: SurveyRun }>(`mutation { openDueSurveys { opened cancelled expired errors { code message } } }`);
  return data.openDueSurveys;
}

/** The token at the end of a survey's link (`/surveys/<token>`): what the customer answers with. */
export const surveyToken = (link: string): string => link.split("/").at(-1)!;
