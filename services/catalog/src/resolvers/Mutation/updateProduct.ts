import { applyPatch, currentVersion, InputChecks, moneyOf, mutationPayload, requireRole, userError } from "@aftersales/kit";
import { findBomLinesByProductIds, findFittingsByEquipmentIds, findRepairStandardsByProductIds, kindsOf, lockProduct, saveProduct } from "../../db/products.js";
import { refreshForecastsOnProductCycle } from "../../db/forecasts.js";
import { MANAGES_PRODUCTS } from "../../domain/access.js";
import type { CatalogErrorCode } from "../../domain/errors.js";
import { checkProduct, referencedProductIds, type ProductDraft } from "../../domain/product.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const updateProduct: MutationResolvers["updateProduct"] = (_, { input: { id, version, ...patch } }, { db, identity }) => {
  requireRole(identity, MANAGES_PRODUCTS, "change products");
  return mutationPayload("product", db, async (tx) => {
    const current = currentVersion(await lockProduct(tx, id), version, userError("PRODUCT_NOT_FOUND", `No product has the id \`${id}\`.`, ["id"]));
    const stored: ProductDraft = {
      ...current,
      // As the client read it: the column holds 3 decimals, yen none.
      listPrice: moneyOf(current.listPrice, current.currency),
      billOfMaterials: await findBomLinesByProductIds(tx, [id]),
      repairStandards: await findRepairStandardsByProductIds(tx, [id]),
      fittingIds: (await findFittingsByEquipmentIds(tx, [id])).map((fitting) => fitting.id),
    };
    const checks = new InputChecks<CatalogErrorCode>();
    const draft = applyPatch(
      checks,
      stored,
      {
        ...patch,
        billOfMaterials:
          patch.billOfMaterials === null
            ? null
            : patch.billOfMaterials?.map((line) => ({ ...line, serviceableSeparately: line.serviceableSeparately ?? true })),
      },
      ["replenishmentCycleDays", "successorId"],
    );
    const checked = checkProduct(draft, await kindsOf(tx, referencedProductIds(draft)), id, checks);
    const saved = await saveProduct(tx, id, checked);
    if (saved.replenishmentCycleDays !== current.replenishmentCycleDays) await refreshForecastsOnProductCycle(tx, saved);
    return saved;
  });
};
