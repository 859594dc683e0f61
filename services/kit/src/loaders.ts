import DataLoader from "dataloader";

/**
 * A per-request loader of rows by a unique key. `fetch` runs one
 * `= ANY($1)` query for the whole batch; rows come back in key order, with
 * null for a key that has no row (unknown, or not visible to the caller).
 */
export function loaderByKey<Key extends string, Row>(
  fetch: (keys: readonly Key[]) => Promise<readonly Row[]>,
  keyOf: (row: Row) => Key,
): DataLoader<Key, Row | null> {
  return new DataLoader(async (keys) => {
    const byKey = new Map<Key, Row>();
    for (const row of await fetch(keys)) byKey.set(keyOf(row), row);
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/** A per-request loader of all rows that belong to each key (e.g. a product's BOM lines). */
export function loaderOfMany<Key extends string, Row>(
  fetch: (keys: readonly Key[]) => Promise<readonly Row[]>,
  keyOf: (row: Row) => Key,
): DataLoader<Key, Row[]> {
  return new DataLoader(async (keys) => {
    const byKey = new Map<Key, Row[]>();
    for (const row of await fetch(keys)) {
      const key = keyOf(row);
      const list = byKey.get(key);
      if (list) list.push(row);
      else byKey.set(key, [row]);
    }
    return keys.map((key) => byKey.get(key) ?? []);
  });
}

/**
 * A per-request loader of each parent's rows for the same arguments (e.g.
 * the first page of units of every customer on a page of customers): one
 * `fetch` per distinct set of arguments, however many parents ask.
 */
export function loaderByParent<Args, Row>(
  fetch: (parentIds: readonly string[], args: Args) => Promise<readonly Row[]>,
  parentOf: (row: Row) => string,
): DataLoader<{ parentId: string; args: Args }, Row[], string> {
  const cacheKeyOf = ({ parentId, args }: { parentId: string; args: Args }) => `${parentId}|${JSON.stringify(args)}`;
  return new DataLoader(
    async (keys) => {
      const parentsByArgs = new Map<string, { args: Args; parentIds: string[] }>();
      for (const { parentId, args } of keys) {
        const argsKey = JSON.stringify(args);
        const group = parentsByArgs.get(argsKey) ?? { args, parentIds: [] };
        group.parentIds.push(parentId);
        parentsByArgs.set(argsKey, group);
      }
      const rowsByKey = new Map<string, Row[]>();
      for (const { args, parentIds } of parentsByArgs.values()) {
        for (const row of await fetch(parentIds, args)) {
          const key = cacheKeyOf({ parentId: parentOf(row), args });
          const list = rowsByKey.get(key);
          if (list) list.push(row);
          else rowsByKey.set(key, [row]);
        }
      }
      return keys.map((key) => rowsByKey.get(cacheKeyOf(key)) ?? []);
    },
    { cacheKeyFn: cacheKeyOf },
  );
}

/**
 * A per-request loader of how many rows each parent has for the same
 * arguments (a per-parent list's `totalCount`): one `fetch` per distinct set
 * of arguments, however many parents ask; 0 for a parent `fetch` gives no row.
 */
export function countLoaderByParent<Args>(
  fetch: (parentIds: readonly string[], args: Args) => Promise<readonly { parentId: string; n: number }[]>,
): DataLoader<{ parentId: string; args: Args }, number, string> {
  const counts = loaderByParent(fetch, (row) => row.parentId);
  return new DataLoader(async (keys) => Promise.all(keys.map(async (key) => (await counts.load(key))[0]?.n ?? 0)), {
    cacheKeyFn: ({ parentId, args }) => `${parentId}|${JSON.stringify(args)}`,
  });
}
