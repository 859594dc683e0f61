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

