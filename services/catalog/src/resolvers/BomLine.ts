import { present } from "@aftersales/kit";
import type { BomLineResolvers } from "../generated/graphql.js";

export const BomLine: BomLineResolvers = {
  part: async (line, _, { loaders }) => present(await loaders.productById.load(line.partId), "BOM part"),
};
