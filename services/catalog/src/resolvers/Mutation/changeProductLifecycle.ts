import { currentVersion, InputChecks, mutationPayload, requireRole, todayUtc, userError } from "@aftersales/kit";
import { changeLifecycleStage, kindsOf, lastLifecycleChangeDateOf, lockProduct } from "../../db/products.js";
import { MANAGES_PRODUCTS } from "../../domain/access.js";
import { checkHappened } from "../../domain/dates.js";
import type { CatalogErrorCode } from "../../domain/errors.js";
import { checkLifecycleChange, DEFAULT_PARTS_GUARANTEE_YEARS, MAX_PARTS_GUARANTEE_YEARS, partsGuaranteedUntil } from "../../domain/lifecycle.js";
import { checkProductReference } from "../../domain/product.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const changeProductLifecycle: MutationResolvers["changeProductLifecycle"] = (_, { input }, { db, identity }) => {
  requireRole(identity, MANAGES_PRODUCTS, "change a product's lifecycle");
  return mutationPayload("product", db, async (tx) => {
    const product = currentVersion(
      await lockProduct(tx, input.productId),
      input.version,
      userError("PRODUCT_NOT_FOUND", `No product has the id \`${input.productId}\`.`, ["productId"]),
    );
    const checks = new InputChecks<CatalogErrorCode>();
    const refused = checkLifecycleChange(product.lifecycleStage, input.stage);
    if (refused) checks.errors.push(refused);
    const effectiveOn = input.effectiveOn ?? todayUtc();
    const lastChangeOn = await lastLifecycleChangeDateOf(tx, product.id);
    checkHappened(checks, effectiveOn, "effectiveOn");
    if (effectiveOn < lastChangeOn) {
      checks.add("BEFORE_LAST_EVENT", `The product's last change took effect on ${lastChangeOn}; changes are recorded in order.`, ["effectiveOn"]);
    }
    const note = checks.optionalText(input.note, ["note"], 2000);
    const discontinuing = input.stage === "DISCONTINUED";
    const years = checks.range(input.partsGuaranteeYears ?? DEFAULT_PARTS_GUARANTEE_YEARS, ["partsGuaranteeYears"], 0, MAX_PARTS_GUARANTEE_YEARS);
    const successorId = input.successorId ?? null;
    if (successorId) {
      const successor = { id: successorId, field: ["successorId"], kinds: [product.kind], role: "successor" };
      checkProductReference(checks, successor, await kindsOf(tx, [successorId]), product.id);
    }
    if (!discontinuing && (input.partsGuaranteeYears != null || successorId)) {
      checks.add("ONLY_WHEN_DISCONTINUING", "`partsGuaranteeYears` and `successorId` apply only when discontinuing.", [
        input.partsGuaranteeYears != null ? "partsGuaranteeYears" : "successorId",
      ]);
    }
    checks.refuseIfAny();
    return changeLifecycleStage(tx, product, {
      stage: input.stage,
      effectiveOn,
      note,
      ...(discontinuing ? { discontinued: { partsGuaranteedUntil: partsGuaranteedUntil(effectiveOn, years), successorId } } : {}),
    });
  });
};
