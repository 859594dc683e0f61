import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, pageOf, sortKey, toConnection } from "../src/connection.js";

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

describe("toConnection", () => {
  const rows = [
    { name: "a", id: "1" },
    { name: "b", id: "2" },
    { name: "c", id: "3" },
  ];

  it("shows the extra row only as hasNextPage", () => {
    const connection = toConnection(rows, { limit: 2, after: null }, byNameThenId);
    expect(connection.edges.map((e) => e.node.id)).toEqual(["1", "2"]);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(decodeCursor(connection.pageInfo.endCursor!, 2)).toEqual(["b", "2"]);
  });

  it("ends the list when no extra row came back", () => {
    const connection = toConnection(rows, { limit: 3, after: null }, byNameThenId);
    expect(connection.pageInfo.hasNextPage).toBe(false);
    expect(toConnection([], { limit: 3, after: null }, byNameThenId).pageInfo).toMatchObject({ startCursor: null, endCursor: null });
  });
});
