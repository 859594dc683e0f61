import { describe, expect, it } from "vitest";
import { inputHash } from "../src/hashes.js";

/** What an idempotency key remembers of a mutation's input (a warranty claim's here). */
describe("inputHash", () => {
  const input = {
    idempotencyKey: "retry-1",
    unitId: "unt_1",
    failureOn: "2026-02-20",
    repairOn: "2026-02-25",
    failureCode: "E42",
    lines: [{ kind: "LABOR", hours: 1.5, claimed: { amount: "80.00", currency: "EUR" } }],
  };
  const hash = inputHash(input);

  it.each([
    { name: "another key", other: { ...input, idempotencyKey: "retry-2" }, same: true },
    { name: "no key", other: { ...input, idempotencyKey: null }, same: true },
    {
      name: "fields in another order",
      other: { lines: input.lines, failureCode: "E42", repairOn: "2026-02-25", failureOn: "2026-02-20", unitId: "unt_1" },
      same: true,
    },
    { name: "an optional field given as null", other: { ...input, serialNumber: null, ticketId: null }, same: true },
    { name: "a null inside a line", other: { ...input, lines: [{ ...input.lines[0], partId: null }] }, same: true },
    { name: "another date", other: { ...input, repairOn: "2026-02-26" }, same: false },
    { name: "another amount", other: { ...input, lines: [{ ...input.lines[0], claimed: { amount: "81.00", currency: "EUR" } }] }, same: false },
    { name: "a ticket", other: { ...input, ticketId: "T-1" }, same: false },
    {
      name: "lines in another order",
      other: { ...input, lines: [...input.lines, { kind: "TRAVEL", km: 3, claimed: { amount: "1.00", currency: "EUR" } }].reverse() },
      same: false,
    },
  ])("$name: same hash $same", ({ other, same }) => {
    expect(inputHash(other) === hash).toBe(same);
  });

  it("is a SHA-256 in hex", () => {
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
