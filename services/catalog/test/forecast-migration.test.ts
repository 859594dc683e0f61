import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { addDays, EVENT_TABLE_SCOPES, migrateDatabase, openDatabase, type DatabaseHandle } from "@aftersales/kit";
import { createTestDatabase, type TestDatabase } from "@aftersales/kit/testing";
import { date, integer, pgSchema, text, timestamp } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { products, replenishmentForecasts } from "../src/db/schema.js";
import { forecastRunOut } from "../src/domain/replenishment.js";
import { catalog } from "../src/server.js";

/**
 * Migration 0001 (forecasts per customer, product and dealer) on a database
 * with data from before it: on PostgreSQL at TEST_DATABASE_URL when set, on
 * PGlite otherwise. Its SQL recomputes every forecast; these tests hold it to
 * `forecastRunOut`, value for value.
 */

const MIGRATIONS = fileURLToPath(new URL("../migrations", import.meta.url));

/** A copy of the migrations up to `tag`: the database as it was before the later ones. */
async function migrationsUpTo(tag: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "catalog-migrations-"));
  await cp(MIGRATIONS, folder, { recursive: true });
  const journalFile = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(await readFile(journalFile, "utf8")) as { entries: { tag: string }[] };
  const upTo = journal.entries.findIndex((entry) => entry.tag === tag);
  await writeFile(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo + 1) }));
  return folder;
}

/** Deterministic random numbers (mulberry32), so a failure can be replayed. */
function randomness(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}

/** Purchases as migration 0000 stored them: the columns later migrations add (idempotency keys) are not there yet. */
const legacyPurchaseTable = pgSchema("catalog").table("consumable_purchases", {
  id: text().primaryKey(),
  customerId: text().notNull(),
  productId: text().notNull(),
  dealerId: text().notNull(),
  quantity: integer().notNull(),
  purchasedOn: date().notNull(),
  recordedAt: timestamp({ withTimezone: true }).notNull(),
});

interface LegacyPurchase {
  id: string;
  customerId: string;
  productId: string;
  dealerId: string;
  quantity: number;
  purchasedOn: string;
  recordedAt: Date;
}

const CYCLES = { prd_beans: 30, prd_filters: 7 } as const;
type ProductId = keyof typeof CYCLES;
const DEALERS = ["dlr_a", "dlr_b", "dlr_c"];

/**
 * Customers buying both consumables from one to three dealers: one to six
 * purchase days each, now and then two purchases on one day, quantities of 1
 * to 4 (so rates with halves, medians of two, rounding of x.5 days).
 */
function legacyPurchases(): LegacyPurchase[] {
  const random = randomness(20250301);
  const purchases: LegacyPurchase[] = [];
  let recorded = Date.parse("2025-06-01T00:00:00Z");
  for (let c = 0; c < 40; c++) {
    for (const productId of Object.keys(CYCLES) as ProductId[]) {
      const dealers = DEALERS.filter(() => random.next() < 0.6);
      for (const dealerId of dealers.length ? dealers : [DEALERS[c % DEALERS.length]!]) {
        let day = addDays("2024-01-01", random.int(0, 300));
        for (let n = random.int(1, 6); n > 0; n--) {
          const times = random.next() < 0.15 ? 2 : 1;
          for (let t = 0; t < times; t++) {
            purchases.push({
              id: `cpu_${purchases.length}`,
              customerId: `cus_${c}`,
              productId,
              dealerId,
              quantity: random.int(1, 4),
              purchasedOn: day,
              recordedAt: new Date((recorded += 1000)),
            });
          }
          day = addDays(day, random.int(1, 90));
        }
      }
    }
  }
  // Recorded in an order other than the days they were bought on, as late entries are.
  return purchases.sort((a, b) => a.id.localeCompare(b.id));
}

const groupBy = <T>(items: readonly T[], keyOf: (item: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
};

const byDayThenRecorded = (a: LegacyPurchase, b: LegacyPurchase) =>
  a.purchasedOn.localeCompare(b.purchasedOn) || a.recordedAt.getTime() - b.recordedAt.getTime();

/** The forecasts the code before 0001 wrote: one per customer and product, from every dealer's purchases, held by the dealer of the latest. */
function legacyForecasts(purchases: readonly LegacyPurchase[]) {
  return [...groupBy(purchases, (p) => `${p.customerId}|${p.productId}`).values()].map((group) => {
    const history = [...group].sort(byDayThenRecorded);
    const latest = history.at(-1)!;
    const forecast = forecastRunOut(CYCLES[latest.productId as ProductId], history)!;
    return { customerId: latest.customerId, productId: latest.productId, dealerId: latest.dealerId, ...forecast };
  });
}

/** The forecasts after 0001: one per customer, product and dealer, from that dealer's own purchases. */
function perDealerForecasts(purchases: readonly LegacyPurchase[]) {
  return [...groupBy(purchases, (p) => `${p.customerId}|${p.productId}|${p.dealerId}`).values()].map((group) => {
    const [first] = group;
    const forecast = forecastRunOut(CYCLES[first!.productId as ProductId], group)!;
    return { customerId: first!.customerId, productId: first!.productId, dealerId: first!.dealerId, ...forecast };
  });
}

const keyOf = (row: { customerId: string; productId: string; dealerId: string }) => `${row.customerId}|${row.productId}|${row.dealerId}`;
const sorted = <T extends { customerId: string; productId: string; dealerId: string }>(rows: T[]) => [...rows].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));

describe("migration 0001: a refill forecast per customer, product and dealer", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const purchases = legacyPurchases();
  const before = legacyForecasts(purchases);

  beforeAll(async () => {
    // given: the catalog as it was before 0001, with purchases at several dealers and the forecasts the old code wrote
    database = await createTestDatabase();
    const folder = await migrationsUpTo("0000_catalog");
    try {
      // The event tables came with later migrations.
      const tenant = Object.fromEntries(Object.entries(catalog.scopes.tenant).filter(([table]) => !(table in EVENT_TABLE_SCOPES)));
      await migrateDatabase(database.target, { subgraph: "catalog", migrationsFolder: folder, scopes: { ...catalog.scopes, tenant } });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    handle = openDatabase(database.target);
    await handle.db.insert(products).values(
      Object.entries(CYCLES).map(([id, cycle]) => ({
        id,
        sku: id.toUpperCase(),
        name: id,
        kind: "CONSUMABLE" as const,
        category: "consumables",
        listPrice: "9.90",
        currency: "EUR",
        replenishmentCycleDays: cycle,
      })),
    );
    await handle.db.insert(legacyPurchaseTable).values(purchases);
    await handle.db.insert(replenishmentForecasts).values(before);
    // when
    await catalog.migrate(database.target);
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  const stored = async () => (await handle.db.select().from(replenishmentForecasts)).map(({ updatedAt: _, ...row }) => row);

  it("has histories at several dealers, which the old forecasts mixed", () => {
    const mixed = before.filter(
      (row) => new Set(purchases.filter((p) => p.customerId === row.customerId && p.productId === row.productId).map((p) => p.dealerId)).size > 1,
    );
    expect(mixed.length).toBeGreaterThan(20);
  });

  it("keeps every existing forecast under its key, as the forecast of the dealer that held it", async () => {
    const keys = new Set((await stored()).map(keyOf));
    expect(before.filter((row) => !keys.has(keyOf(row)))).toEqual([]);
  });

  it("recomputes every forecast from its dealer's own purchases, and gives each dealer that sold to the customer its own", async () => {
    expect(sorted(await stored())).toEqual(sorted(perDealerForecasts(purchases)));
  });
});
