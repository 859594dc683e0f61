import { loaderByKey, loaderOfMany, type Database, type Identity, type Peers, type SubgraphContext } from "@aftersales/kit";
import { findItemsByIds, findReasonsByItemIds } from "./items.js";

/** Per-request loaders, one statement per batch, in the caller's scope (row-level security). */
export function createLoaders(db: Database, _identity: Identity, _peers: Peers | null) {
  return {
    itemById: loaderByKey(
      (ids) => findItemsByIds(db, ids),
      (row) => row.id,
    ),
    reasonsByItemId: loaderOfMany(
      (ids) => findReasonsByItemIds(db, ids),
      (row) => row.itemId ?? "",
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = SubgraphContext<Loaders>;
