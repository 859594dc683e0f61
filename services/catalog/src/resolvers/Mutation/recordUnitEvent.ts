import { InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { recordEventOnUnit } from "../../db/units.js";
import { RECORDS_FIELD_EVENTS } from "../../domain/access.js";
import type { CatalogErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const recordUnitEvent: MutationResolvers["recordUnitEvent"] = (_, { input }, { db, identity }) => {
  requireRole(identity, RECORDS_FIELD_EVENTS, "record unit events");
  return mutationPayload("unit", db, (tx) => {
    const checks = new InputChecks<CatalogErrorCode>();
    const key = input.idempotencyKey == null ? null : checks.text(input.idempotencyKey, ["idempotencyKey"], 100);
    const note = checks.optionalText(input.note, ["note"], 2000);
    return recordEventOnUnit(tx, identity, input, checks, { kind: input.kind, occurredOn: input.occurredOn, note, request: { key, input } });
  });
};
