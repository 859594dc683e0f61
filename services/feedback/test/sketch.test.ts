import { describe, expect, it } from "vitest";
import { bucketOf, bucketValue, histogramPercentiles, RELATIVE_ACCURACY, ZERO_BUCKET } from "../src/domain/sketch.js";

/** Deterministic uniform numbers in [0, 1) (mulberry32), so a failure can be replayed. */
function uniform(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Hours to resolve as the benchmark's world has them: lognormal by priority, plus days waiting for parts for some. */
function resolutionHours(n: number, seed: number): number[] {
  const next = uniform(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return Array.from({ length: n }, () => {
    const median = [6, 14, 30, 50][Math.floor(next() * 4)]!;
    const parts = next() < 0.14 ? 48 + 96 * next() : 0;
    return Math.exp(Math.log(median) + 0.85 * normal()) + parts;
  });
}

/** PostgreSQL's percentile_cont over `values`. */
function exactPercentile(values: readonly number[], p: number): number {
  const sorted = values.toSorted((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const below = Math.floor(position);
  return sorted[below]! + (position - below) * (sorted[Math.ceil(position)]! - sorted[below]!);
}

/** The histogram the rollups would hold for `values`. */
function histogramOf(values: readonly number[]): [number, number][] {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(bucketOf(value), (counts.get(bucketOf(value)) ?? 0) + 1);
  return [...counts];
}

describe("hours-to-resolve histogram", () => {
  it("stands every value in for one within 1 %", () => {
    for (const value of [0.002, 0.5, 1, 2, 6, 27, 35.4, 48, 500, 10_000]) {
      expect(Math.abs(bucketValue(bucketOf(value)) - value) / value).toBeLessThanOrEqual(RELATIVE_ACCURACY);
    }
    expect(bucketOf(0)).toBe(ZERO_BUCKET);
    expect(bucketValue(ZERO_BUCKET)).toBe(0);
  });

  it.each([
    { n: 200_000, seed: 1 },
    { n: 20_000, seed: 2 },
    { n: 500, seed: 3 },
  ])("gives the median and p90 of $n generated resolutions within 1 % of the exact ones", ({ n, seed }) => {
    // given generated hours and their histogram
    const hours = resolutionHours(n, seed);
    // when percentiles are read from the histogram
    const [median, p90] = histogramPercentiles(histogramOf(hours), [0.5, 0.9]);
    // then each is within 1 % of percentile_cont over the values themselves
    for (const [estimate, p] of [
      [median, 0.5],
      [p90, 0.9],
    ] as const) {
      const exact = exactPercentile(hours, p);
      expect(Math.abs(estimate! - exact) / exact, `p${p * 100}`).toBeLessThanOrEqual(RELATIVE_ACCURACY);
    }
  });

  it("merges by adding counts: the histogram of two slices together reads as the histogram of their union", () => {
    const a = resolutionHours(30_000, 4);
    const b = resolutionHours(10_000, 5);
    const merged = new Map<number, number>();
    for (const [bucket, count] of [...histogramOf(a), ...histogramOf(b)]) merged.set(bucket, (merged.get(bucket) ?? 0) + count);
    expect(histogramPercentiles([...merged], [0.5, 0.9])).toEqual(histogramPercentiles(histogramOf([...a, ...b]), [0.5, 0.9]));
  });

  it("has no percentiles when empty", () => {
    expect(histogramPercentiles([], [0.5, 0.9])).toEqual([null, null]);
  });
});
