import type { Resolvers } from "../generated/graphql.js";
import { BomLine } from "./BomLine.js";
import { ConsumablePurchase } from "./ConsumablePurchase.js";
import { Customer } from "./Customer.js";
import { Dealer } from "./Dealer.js";
import { adjustPartStock } from "./Mutation/adjustPartStock.js";
import { changeProductLifecycle } from "./Mutation/changeProductLifecycle.js";
import { createProduct } from "./Mutation/createProduct.js";
import { importUnits } from "./Mutation/importUnits.js";
import { recordConsumablePurchase } from "./Mutation/recordConsumablePurchase.js";
import { recordUnitEvent } from "./Mutation/recordUnitEvent.js";
import { registerUnit } from "./Mutation/registerUnit.js";
import { sellUnit } from "./Mutation/sellUnit.js";
import { setPartStock } from "./Mutation/setPartStock.js";
import { transferUnit } from "./Mutation/transferUnit.js";
import { updateProduct } from "./Mutation/updateProduct.js";
import { PartStock } from "./PartStock.js";
import { Product } from "./Product.js";
import { Query } from "./Query.js";
import { ReplenishmentForecast } from "./ReplenishmentForecast.js";
import { Unit } from "./Unit.js";
import { UnitEvent } from "./UnitEvent.js";

export const resolvers: Resolvers = {
  Query,
  Mutation: {
    createProduct,
    updateProduct,
    changeProductLifecycle,
    registerUnit,
    sellUnit,
    recordUnitEvent,
    transferUnit,
    importUnits,
    recordConsumablePurchase,
    setPartStock,
    adjustPartStock,
  },
  Product,
  BomLine,
  Unit,
  UnitEvent,
  ConsumablePurchase,
  ReplenishmentForecast,
  PartStock,
  Customer,
  Dealer,
};
