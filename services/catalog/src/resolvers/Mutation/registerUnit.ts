import { createdOnce, dealerToBook, InputChecks, mutationPayload, namedDealer, requireRole, todayUtc, userError } from "@aftersales/kit";
import { findProductsByIds } from "../../db/products.js";
import { units } from "../../db/schema.js";
import { insertUnit } from "../../db/units.js";
import { RECORDS_FIELD_EVENTS } from "../../domain/access.js";
import { checkHappened } from "../../domain/dates.js";
import { SERIAL_NUMBER, SERIAL_NUMBER_RULE } from "../../domain/unit.js";
import type { CatalogErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const registerUnit: MutationResolvers["registerUnit"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, RECORDS_FIELD_EVENTS, "register units");
  return mutationPayload(
    "unit",
    db,
    async (tx) => {
      const checks = new InputChecks<CatalogErrorCode>();
      const key = input.idempotencyKey == null ? null : checks.text(input.idempotencyKey, ["idempotencyKey"], 100);
      const serialNumber = input.serialNumber.trim();
      if (!SERIAL_NUMBER.test(serialNumber)) {
        checks.add("INVALID_FORMAT", SERIAL_NUMBER_RULE, ["serialNumber"]);
      }
      const [product] = await findProductsByIds(tx, [input.productId]);
      if (!product) checks.add("PRODUCT_NOT_FOUND", `No product has the id \`${input.productId}\`.`, ["productId"]);
      else if (product.kind !== "EQUIPMENT") {
        checks.add("WRONG_PRODUCT_KIND", `Only equipment is serialized; this product is ${product.kind}.`, ["productId"]);
      }
      const registeredOn = checkHappened(checks, input.registeredOn ?? todayUtc(), "registeredOn");
      const dealerId = dealerToBook(checks, identity, input.dealerId, ["dealerId"]);
      await namedDealer(checks, identity, dealerId, loaders.knownDealerById, ["dealerId"]);
      checks.refuseIfAny();
      return createdOnce(tx, units, { dealerId, dealerColumn: units.dealerId }, { key, input }, (keyed) =>
        insertUnit(tx, { serialNumber, productId: input.productId, dealerId, registeredOn, ...keyed }),
      );
    },
    {
      units_serial_number_key: () =>
        userError("DUPLICATE_SERIAL_NUMBER", `Another unit has the serial number \`${input.serialNumber.trim()}\`.`, ["serialNumber"]),
    },
  );
};
