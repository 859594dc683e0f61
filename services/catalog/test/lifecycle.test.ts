import { describe, expect, it } from "vitest";
import { checkLifecycleChange, DEFAULT_PARTS_GUARANTEE_YEARS, partsGuaranteedUntil, type LifecycleStage } from "../src/domain/lifecycle.js";

const STAGES: LifecycleStage[] = ["INTRODUCTION", "GROWTH", "MATURITY", "DECLINE", "DISCONTINUED"];

describe("checkLifecycleChange", () => {
  it.each([
    { from: "INTRODUCTION", to: "GROWTH", why: "the usual way forward" },
    { from: "GROWTH", to: "MATURITY", why: "the usual way forward" },
    { from: "MATURITY", to: "DECLINE", why: "the usual way forward" },
    { from: "DECLINE", to: "DISCONTINUED", why: "the end of sales" },
    { from: "INTRODUCTION", to: "DISCONTINUED", why: "a launch that failed" },
    { from: "DECLINE", to: "GROWTH", why: "a relaunch" },
    { from: "MATURITY", to: "INTRODUCTION", why: "a re-introduction" },
  ] satisfies { from: LifecycleStage; to: LifecycleStage; why: string }[])("allows $from → $to: $why", ({ from, to }) => {
    expect(checkLifecycleChange(from, to)).toBeNull();
  });

  it.each(STAGES.filter((stage) => stage !== "DISCONTINUED"))("refuses a change from %s to itself", (stage) => {
    expect(checkLifecycleChange(stage, stage)).toEqual({
      code: "SAME_STAGE",
      message: `The product is already in ${stage}.`,
      field: ["stage"],
    });
  });

  it.each(STAGES)("refuses DISCONTINUED → %s: discontinuation is final", (to) => {
    expect(checkLifecycleChange("DISCONTINUED", to)).toMatchObject({ code: "LIFECYCLE_FINAL", field: ["stage"] });
  });

  it("allows every other change between two different stages", () => {
    const outcomes = STAGES.flatMap((from) => STAGES.filter((to) => from !== "DISCONTINUED" && to !== from).map((to) => checkLifecycleChange(from, to)));
    expect(outcomes).toHaveLength(16);
    expect(outcomes.every((outcome) => outcome === null)).toBe(true);
  });
});

describe("partsGuaranteedUntil", () => {
  it("guarantees parts for ten years by default", () => {
    expect(DEFAULT_PARTS_GUARANTEE_YEARS).toBe(10);
    expect(partsGuaranteedUntil("2025-06-30")).toBe("2035-06-30");
  });

  it.each([
    { discontinuedOn: "2025-03-31", years: 10, until: "2035-03-31" },
    { discontinuedOn: "2025-12-31", years: 7, until: "2032-12-31" },
    { discontinuedOn: "2025-01-15", years: 0, until: "2025-01-15" },
    { discontinuedOn: "2024-02-29", years: 10, until: "2034-02-28" },
    { discontinuedOn: "2024-02-29", years: 4, until: "2028-02-29" },
    { discontinuedOn: "2024-02-29", years: 1, until: "2025-02-28" },
    { discontinuedOn: "2023-03-01", years: 1, until: "2024-03-01" },
  ])("discontinued on $discontinuedOn with $years years: until $until", ({ discontinuedOn, years, until }) => {
    expect(partsGuaranteedUntil(discontinuedOn, years)).toBe(until);
  });
});
