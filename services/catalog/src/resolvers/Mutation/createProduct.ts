import { InputChecks, mutationPayload, requireRole, todayUtc, userError } from "@aftersales/kit";
import { insertProduct, kindsOf } from "../../db/products.js";
import { MANAGES_PRODUCTS } from "../../domain/access.js";
import { checkHappened } from "../../domain/dates.js";
import type { CatalogErrorCode } from "../../domain/errors.js";
import { checkProduct, referencedProductIds } from "../../domain/product.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const createProduct: MutationResolvers["createProduct"] = (_, { input }, { db, identity }) => {
  requireRole(identity, MANAGES_PRODUCTS, "create products");
  return mutationPayload(
    "product",
    db,
    async (tx) => {
      const checks = new InputChecks<CatalogErrorCode>();
      const stage = input.lifecycleStage ?? "INTRODUCTION";
      if (stage === "DISCONTINUED") {
        checks.add("CANNOT_START_DISCONTINUED", "Create the product, then discontinue it with changeProductLifecycle.", ["lifecycleStage"]);
      }
      const draft = {
        ...input,
        replenishmentCycleDays: input.replenishmentCycleDays ?? null,
        successorId: input.successorId ?? null,
        billOfMaterials: (input.billOfMaterials ?? []).map((line) => ({
          ...line,
          serviceableSeparately: line.serviceableSeparately ?? true,
        })),
        repairStandards: input.repairStandards ?? [],
        fittingIds: input.fittingIds ?? [],
      };
      const introducedOn = checkHappened(checks, input.introducedOn ?? todayUtc(), "introducedOn");
      const checked = checkProduct(draft, await kindsOf(tx, referencedProductIds(draft)), null, checks);
      return insertProduct(tx, checked, stage, introducedOn);
    },
    { products_sku_key: () => userError("DUPLICATE_SKU", `Another product has the SKU \`${input.sku}\`.`, ["sku"]) },
  );
};
