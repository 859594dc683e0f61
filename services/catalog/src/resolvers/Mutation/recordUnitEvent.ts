import { InputChecks, mutationPayload } from "@aftersales/kit";
import { recordEventOnUnit } from "../../db/units.js";
import type { CatalogErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const recordUnitEvent: MutationResolvers["recordUnitEvent"] = (_, { input }, { db }) =>
  mutationPayload("unit", db, (tx) => {
    const checks = new InputChecks<CatalogErrorCode>();
    const note = checks.optionalText(input.note, ["note"], 2000);
    return recordEventOnUnit(tx, input, checks, { kind: input.kind, occurredOn: input.occurredOn, note });
  });
