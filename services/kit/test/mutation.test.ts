import { sql } from "drizzle-orm";
import { integer, pgSchema, text } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../src/db.js";
import { Refusal, userError } from "../src/errors.js";
import { mutationPayload } from "../src/mutation.js";
import { createTestDatabase, type TestDatabase } from "../src/testing.js";

const scratch = pgSchema("kit_test");
const notes = scratch.table("notes", { id: text().primaryKey(), body: text().notNull(), version: integer().notNull() });

let database: TestDatabase;
let handle: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = openDatabase(database.target);
  await handle.db.execute(sql`create schema kit_test`);
  await handle.db.execute(sql`create table kit_test.notes (id text primary key, body text not null, version integer not null)`);
});
afterAll(async () => {
  await handle?.close();
  await database?.drop();
});

const count = async () => (await handle.db.select().from(notes)).length;

describe("mutationPayload", () => {
  it("returns the written object and no errors when the work succeeds", async () => {
    const payload = await mutationPayload("note", handle.db, async (tx) => {
      const [row] = await tx.insert(notes).values({ id: "n1", body: "kept", version: 1 }).returning();
      return row ?? null;
    });
    expect(payload).toEqual({ note: { id: "n1", body: "kept", version: 1 }, errors: [] });
  });

  it("rolls back what was written before a refusal, and answers with the refusal", async () => {
    // given
    const before = await count();
    // when: the work writes, then refuses
    const payload = await mutationPayload("note", handle.db, async (tx) => {
      await tx.insert(notes).values({ id: "n2", body: "half-written", version: 1 });
      throw new Refusal([userError("TOO_LATE", "Refused after a write.", ["body"])]);
    });
    // then
    expect(payload).toEqual({ note: null, errors: [{ code: "TOO_LATE", message: "Refused after a write.", field: ["body"] }] });
    expect(await count()).toBe(before);
  });

  it("turns a listed constraint violation into a refusal, and rolls back the writes before it", async () => {
    const before = await count();
    const payload = await mutationPayload(
      "note",
      handle.db,
      async (tx) => {
        await tx.insert(notes).values({ id: "n3", body: "first", version: 1 });
        await tx.insert(notes).values({ id: "n1", body: "duplicate id", version: 1 });
        return null;
      },
      { notes_pkey: () => userError("DUPLICATE_NOTE", "A note has this id.", ["id"]) },
    );
    expect(payload).toEqual({ note: null, errors: [expect.objectContaining({ code: "DUPLICATE_NOTE", field: ["id"] })] });
    expect(await count()).toBe(before);
  });

  it("lets an unexpected failure through as an exception, after rolling back", async () => {
    const before = await count();
    await expect(
      mutationPayload("note", handle.db, async (tx) => {
        await tx.insert(notes).values({ id: "n4", body: "doomed", version: 1 });
        throw new Error("a bug");
      }),
    ).rejects.toThrow("a bug");
    expect(await count()).toBe(before);
  });
});
