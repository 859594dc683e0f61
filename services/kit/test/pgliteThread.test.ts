import { sql } from "drizzle-orm";
import { integer, pgSchema, text, timestamp } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeRows, openDatabase, type DatabaseHandle } from "../src/db.js";
import { databaseErrorOf, Refusal, userError } from "../src/errors.js";
import { mutationPayload } from "../src/mutation.js";
import { openPgliteThread, type PgliteThread } from "../src/pgliteThread.js";
import { APP_ROLE, openRequestTransaction, tenancyStatements } from "../src/tenancy.js";

const scratch = pgSchema("kit_thread");
const notes = scratch.table("notes", {
  id: text().primaryKey(),
  dealerId: text().notNull(),
  body: text().notNull(),
  version: integer().notNull(),
  writtenAt: timestamp({ withTimezone: true, mode: "string" }).notNull().defaultNow(),
});

let thread: PgliteThread;
let handle: DatabaseHandle;

beforeAll(async () => {
  thread = await openPgliteThread();
  handle = openDatabase({ kind: "pglite", client: thread });
  await handle.db.execute(sql`create schema kit_thread`);
  await handle.db.execute(
    sql`create table kit_thread.notes (id text primary key, dealer_id text not null, body text not null, version integer not null, written_at timestamptz not null default now())`,
  );
  for (const statement of tenancyStatements("kit_thread", { tenant: { notes: "dealer_id" }, shared: [] })) await thread.exec(statement);
  await handle.db.insert(notes).values([
    { id: "north-1", dealerId: "north", body: "north's", version: 1 },
    { id: "south-1", dealerId: "south", body: "south's", version: 1 },
  ]);
}, 60_000);
afterAll(async () => {
  await handle?.close();
  await thread?.close();
});

const dealer = (dealerId: string) => ({ subject: dealerId, role: "DEALER" as const, dealerId, credential: `token:${dealerId}`, operationsOnly: false });

describe("PGlite in a thread of its own", () => {
  it("keeps row-level security on every statement of a request, though no transaction spans the request", async () => {
    // given: a DEALER's request
    const request = await openRequestTransaction(handle, dealer("north"));
    // when: it reads twice, with other work between
    const first = await request.tx.select().from(notes);
    const [{ role } = { role: "" }] = await executeRows<{ role: string }>(request.tx, sql`select current_user as role`);
    const second = await request.tx.select({ id: notes.id }).from(notes);
    await request.end();
    // then: each read saw the dealer's rows alone, as the application role
    expect(first.map((n) => n.id)).toEqual(["north-1"]);
    expect(second).toEqual([{ id: "north-1" }]);
    expect(role).toBe(APP_ROLE);
    // and the caller's settings ended with its statements
    const [after] = await executeRows<{ role: string; dealer: string }>(
      handle.db,
      sql`select current_user as role, coalesce(current_setting('aftersales.dealer_id', true), '') as dealer`,
    );
    expect(after).toEqual({ role: "postgres", dealer: "" });
  });

  it("refuses a statement after its request ended", async () => {
    const request = await openRequestTransaction(handle, dealer("north"));
    await request.end();
    // drizzle names the statement and keeps the reason as the cause
    await expect(request.tx.select().from(notes)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/ended/) } });
  });

  it("rolls back a mutation's writes on a refusal, and keeps a constraint's name for its error code", async () => {
    // given
    const request = await openRequestTransaction(handle, dealer("north"));
    // when: one mutation refuses after a write, another breaks the primary key
    const refused = await mutationPayload("note", request.tx, async (tx) => {
      await tx.insert(notes).values({ id: "north-2", dealerId: "north", body: "half-written", version: 1 });
      throw new Refusal([userError("TOO_LATE", "Refused after a write.", ["body"])]);
    });
    const duplicate = await mutationPayload(
      "note",
      request.tx,
      async (tx) => {
        await tx.insert(notes).values({ id: "north-3", dealerId: "north", body: "first", version: 1 });
        await tx.insert(notes).values({ id: "north-1", dealerId: "north", body: "duplicate id", version: 1 });
        return null;
      },
      { notes_pkey: () => userError("DUPLICATE_NOTE", "A note has this id.", ["id"]) },
    );
    const kept = await request.tx.select({ id: notes.id }).from(notes);
    await request.end();
    // then
    expect(refused.errors.map((e) => e.code)).toEqual(["TOO_LATE"]);
    expect(duplicate.errors.map((e) => e.code)).toEqual(["DUPLICATE_NOTE"]);
    expect(kept).toEqual([{ id: "north-1" }]);
  });

  it("commits a mutation's writes as the caller, under the caller's row-level security", async () => {
    const request = await openRequestTransaction(handle, dealer("north"));
    const written = await mutationPayload("note", request.tx, async (tx) => {
      const [row] = await tx.insert(notes).values({ id: "north-4", dealerId: "north", body: "kept", version: 1 }).returning({ id: notes.id });
      return row ?? null;
    });
    const foreign = await mutationPayload("note", request.tx, async (tx) => {
      await tx.insert(notes).values({ id: "south-2", dealerId: "south", body: "not mine", version: 1 });
      return null;
    }).catch((error: unknown) => databaseErrorOf(error));
    await request.end();
    expect(written).toEqual({ note: { id: "north-4" }, errors: [] });
    // 42501: the row violates the row-level security policy
    expect(foreign).toEqual({ code: "42501", constraint: null });
    const all = await handle.db.select({ id: notes.id }).from(notes).orderBy(notes.id);
    expect(all.map((n) => n.id)).toEqual(["north-1", "north-4", "south-1"]);
  });

  it("reads a mutation's own writes through the request's loaders while the mutation runs", async () => {
    // given: a request whose loaders read through its own handle
    const request = await openRequestTransaction(handle, dealer("north"));
    // when: the mutation writes, then reads through the request rather than its transaction
    const payload = await mutationPayload("note", request.tx, async (tx) => {
      await tx.insert(notes).values({ id: "north-5", dealerId: "north", body: "just written", version: 1 });
      const [row] = await request.tx.select({ body: notes.body }).from(notes).where(sql`${notes.id} = 'north-5'`);
      return row ?? null;
    });
    await request.end();
    // then: it answered (the read did not wait for the mutation) and saw the write
    expect(payload).toEqual({ note: { body: "just written" }, errors: [] });
  });

  it("hands timestamps over as the text drizzle reads", async () => {
    const [row] = await handle.db.select({ writtenAt: notes.writtenAt }).from(notes).limit(1);
    expect(row?.writtenAt).toMatch(/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d/);
  });

  it("answers another request's statements while a request holds no statement", async () => {
    // given: a request that has read and is still open
    const north = await openRequestTransaction(handle, dealer("north"));
    await north.tx.select().from(notes);
    // when: another caller reads meanwhile
    const south = await openRequestTransaction(handle, dealer("south"));
    const rows = await south.tx.select({ id: notes.id }).from(notes);
    await south.end();
    await north.end();
    // then: it was answered, with its own rows
    expect(rows).toEqual([{ id: "south-1" }]);
  });
});
