import { InputChecks, mutationPayload, namedCustomer, requireRole } from "@aftersales/kit";
import { recordEventOnUnit } from "../../db/units.js";
import { RECORDS_FIELD_EVENTS } from "../../domain/access.js";
import type { CatalogErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const transferUnit: MutationResolvers["transferUnit"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, RECORDS_FIELD_EVENTS, "transfer units");
  return mutationPayload("unit", db, async (tx) => {
    const checks = new InputChecks<CatalogErrorCode>();
    const key = input.idempotencyKey == null ? null : checks.text(input.idempotencyKey, ["idempotencyKey"], 100);
    const customerId = checks.text(input.newCustomerId, ["newCustomerId"], 64);
    const note = checks.optionalText(input.note, ["note"], 2000);
    if (customerId) await namedCustomer(checks, identity, customerId, loaders.knownCustomerById, ["newCustomerId"]);
    return recordEventOnUnit(tx, identity, input, checks, {
      kind: "TRANSFERRED",
      occurredOn: input.occurredOn,
      request: { key, input },
      fields: { kind: null, date: ["occurredOn"] },
      note,
      changes: (unit) => {
        if (unit.customerId === customerId) {
          checks.add("SAME_OWNER", "The unit already belongs to this customer.", ["newCustomerId"]);
        }
        return { customerId };
      },
    });
  });
};
