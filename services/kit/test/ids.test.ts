import { describe, expect, it } from "vitest";
import { newId } from "../src/ids.js";

describe("newId", () => {
  it("sorts ids made in the same millisecond in the order they were made", () => {
    // given one instant for a thousand ids, as a busy request makes them
    const now = Date.parse("2026-03-01T09:30:00.123Z");
    // when
    const ids = Array.from({ length: 1000 }, () => newId("lnr", now));
    // then
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it("keeps sorting in creation order when the clock steps back", () => {
    const later = newId("tpu", Date.parse("2026-03-01T09:30:01.000Z"));
    const afterTheStep = newId("tpu", Date.parse("2026-03-01T09:30:00.000Z"));
    expect(afterTheStep > later).toBe(true);
  });

  it("writes a type prefix and a ULID in Crockford base 32", () => {
    expect(newId("dlr")).toMatch(/^dlr_[0-9A-HJKMNP-TV-Z]{26}$/);
  });
});
