import { sql } from "drizzle-orm";
import { boolean, date, integer, pgEnum, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, pageOf, sortExpression, sortKey, toConnection } from "../src/connection.js";

const byNameThenId = sortKey<{ name: string; id: string }>([], (row) => [row.name, row.id]);
const twoColumns = { ...byNameThenId, columns: [{ getSQL: () => undefined as never }, { getSQL: () => undefined as never }] };

describe("cursors", () => {
  it("round-trips the sort key of a row", () => {
    expect(decodeCursor(encodeCursor(["Ada", "cus_1"]), 2)).toEqual(["Ada", "cus_1"]);
  });

  it.each([
    ["not base64 JSON", "%%%"],
    ["a cursor of another list (other arity)", encodeCursor(["only-one"])],
    ["an object instead of values", Buffer.from('[{"a":1},"x"]').toString("base64url")],
  ])("refuses %s", (_, cursor) => {
    expect(() => decodeCursor(cursor, 2)).toThrow(/not a cursor of this list/);
  });
});

describe("cursor values, checked against what the list sorts by", () => {
  const priority = pgEnum("priority", ["P1", "P2"]);
  const rows = pgTable("rows", {
    id: text().primaryKey(),
    openedAt: timestamp({ withTimezone: true }).notNull(),
    dueOn: date({ mode: "string" }),
    count: integer(),
    done: boolean(),
    priority: priority(),
  });
  type Row = typeof rows.$inferSelect;
  const order = sortKey<Row>([rows.openedAt, rows.dueOn, rows.count, rows.done, rows.priority, rows.id], (row) => [
    row.openedAt.toISOString(),
    row.dueOn,
    row.count,
    row.done,
    row.priority,
    row.id,
  ]);
  const after = (values: unknown[]) => pageOf({ after: Buffer.from(JSON.stringify(values)).toString("base64url") }, order).after;

  it("takes a cursor the list made, nulls included", () => {
    const row: Row = { id: "r_1", openedAt: new Date("2026-03-01T09:30:00Z"), dueOn: null, count: 3, done: false, priority: "P2" };
    const cursor = toConnection([row], { limit: 1, after: null }, order, noCount).pageInfo.endCursor!;
    expect(pageOf({ after: cursor }, order).after).toEqual(["2026-03-01T09:30:00.000Z", null, 3, false, "P2", "r_1"]);
  });

  it.each([
    ["text where an instant goes", ["x", null, 1, true, "P1", "r_1"]],
    ["a date that does not exist", ["2026-03-01T09:30:00Z", "2026-02-30", 1, true, "P1", "r_1"]],
    ["a number past a 32-bit integer", ["2026-03-01T09:30:00Z", null, 2 ** 31, true, "P1", "r_1"]],
    ["a string where a boolean goes", ["2026-03-01T09:30:00Z", null, 1, "yes", "P1", "r_1"]],
    ["a label the enum lacks", ["2026-03-01T09:30:00Z", null, 1, true, "P9", "r_1"]],
    ["a NUL byte in text", ["2026-03-01T09:30:00Z", null, 1, true, "P1", "r\u0000"]],
  ])("refuses %s as not a cursor of this list", (_, values) => {
    expect(() => after(values)).toThrow(/not a cursor of this list/);
  });

  it("checks a computed sort expression as the kind it says it yields", () => {
    const byDue = sortKey<Row>([sortExpression(sql`coalesce(${rows.openedAt}, 'infinity')`, "timestamp"), rows.id], (row) => [
      row.openedAt.toISOString(),
      row.id,
    ]);
    const cursor = (values: unknown[]) => ({ after: Buffer.from(JSON.stringify(values)).toString("base64url") });
    expect(pageOf(cursor(["infinity", "r_1"]), byDue).after).toEqual(["infinity", "r_1"]);
    expect(() => pageOf(cursor(["soon", "r_1"]), byDue)).toThrow(/not a cursor of this list/);
  });

  it("will not sort by a column whose values it cannot check", () => {
    const other = pgTable("other", { id: text(), payload: text().array() });
    expect(() => sortKey([other.payload], () => [])).toThrow(/needs a sortExpression/);
  });
});

describe("pageOf", () => {
  it("defaults to 20 and accepts up to 100", () => {
    expect(pageOf({}, twoColumns)).toEqual({ limit: 20, after: null });
    expect(pageOf({ first: 100 }, twoColumns).limit).toBe(100);
    expect(pageOf({ first: 0 }, twoColumns).limit).toBe(0);
  });

  it.each([101, -1])("refuses first: %s", (first) => {
    expect(() => pageOf({ first }, twoColumns)).toThrow(/between 0 and 100/);
  });
});

/** For pages whose count is not the question. */
const noCount = () => Promise.reject(new Error("not counted here"));

describe("toConnection", () => {
  const rows = [
    { name: "a", id: "1" },
    { name: "b", id: "2" },
    { name: "c", id: "3" },
  ];

  it("shows the extra row only as hasNextPage", () => {
    const connection = toConnection(rows, { limit: 2, after: null }, byNameThenId, noCount);
    expect(connection.edges.map((e) => e.node.id)).toEqual(["1", "2"]);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(decodeCursor(connection.pageInfo.endCursor!, 2)).toEqual(["b", "2"]);
  });

  it("ends the list when no extra row came back", () => {
    const connection = toConnection(rows, { limit: 3, after: null }, byNameThenId, noCount);
    expect(connection.pageInfo.hasNextPage).toBe(false);
    expect(toConnection([], { limit: 3, after: null }, byNameThenId, noCount).pageInfo).toMatchObject({ startCursor: null, endCursor: null });
  });

  it("counts a first page that holds the whole list from its rows, and counts any other once, only when asked", async () => {
    let counted = 0;
    const count = async () => {
      counted += 1;
      return 42;
    };
    expect(await toConnection(rows, { limit: 3, after: null }, byNameThenId, count).totalCount()).toBe(3);
    expect(counted).toBe(0);
    const firstOfMany = toConnection(rows, { limit: 2, after: null }, byNameThenId, count);
    const later = toConnection(rows.slice(2), { limit: 2, after: ["b", "2"] }, byNameThenId, count);
    expect(counted).toBe(0);
    expect([await firstOfMany.totalCount(), await firstOfMany.totalCount(), await later.totalCount()]).toEqual([42, 42, 42]);
    expect(counted).toBe(2);
  });
});
