import { badUserInput, pageOf, selects, toConnection } from "@aftersales/kit";
import { countProducts, listProducts, productOrder } from "../db/products.js";
import { countUnits, listUnits, listUnitsWithProducts, unitOrder } from "../db/units.js";
import type { QueryResolvers } from "../generated/graphql.js";

export const Query: QueryResolvers = {
  product: (_, { id, sku }, { loaders }) => {
    if (id && !sku) return loaders.productById.load(id);
    if (sku && !id) return loaders.productBySku.load(sku.trim().toUpperCase());
    throw badUserInput("Give exactly one of `id` and `sku`.");
  },
  products: async (_, { filter, ...args }, { db }) => {
    const page = pageOf(args, productOrder);
    return toConnection(await listProducts(db, filter ?? {}, page), page, productOrder, () => countProducts(db, filter ?? {}));
  },
  unit: (_, { id, serialNumber }, { loaders }) => {
    if (id && !serialNumber) return loaders.unitById.load(id);
    if (serialNumber && !id) return loaders.unitBySerialNumber.load(serialNumber.trim());
    throw badUserInput("Give exactly one of `id` and `serialNumber`.");
  },
  units: async (_, { filter, ...args }, { db, identity, loaders }, info) => {
    const page = pageOf(args, unitOrder);
    const count = () => countUnits(db, identity, filter ?? {});
    if (!selects(info, ["edges", "node", "product"])) return toConnection(await listUnits(db, identity, filter ?? {}, page), page, unitOrder, count);
    // The products come with the page, and their loader answers `Unit.product` from them.
    const rows = await listUnitsWithProducts(db, identity, filter ?? {}, page);
    for (const { product } of rows) loaders.productById.prime(product.id, product);
    return toConnection(
      rows.map(({ unit }) => unit),
      page,
      unitOrder,
      count,
    );
  },
};
