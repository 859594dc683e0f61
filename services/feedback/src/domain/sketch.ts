/**
 * Percentiles of hours to resolve from a log histogram: the rollups keep,
 * per cell, how many values fell into each bucket, and cells merge by adding
 * counts, so a percentile over any slice needs the buckets, not the rows.
 *
 * Bucket `i` holds the values in (γ^(i-1), γ^i] with γ = (1 + α) / (1 - α),
 * α = 1 %, and stands for its midpoint 2γ^i / (γ + 1), which is within α of
 * every value in it (the DDSketch mapping, without its collapsing: hours to
 * resolve span a few hundred buckets at most). Values up to 3.6 seconds fall
 * into bucket ZERO_BUCKET and stand for 0. The bucket is computed in SQL
 * (`feedback.hour_bucket`, migration 0004) with the same constants.
 *
 * Hand-written rather than a library: the merging happens in SQL (sums of
 * counts per bucket), so what is needed here is only the bucket's value and
 * the rank walk, and no sketch library stores its state as plain per-bucket
 * counts that SQL can add up.
 */

/** The relative accuracy of a bucket's value. */
export const RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
/** Values of 0.001 hours or less (and negative ones). */
export const ZERO_BUCKET = -9999;

/** The bucket a value falls into: as `feedback.hour_bucket` computes it. */
export function bucketOf(value: number): number {
  return value <= 0.001 ? ZERO_BUCKET : Math.ceil(Math.log(value) / Math.log(GAMMA));
}

/** The value a bucket stands for. */
export function bucketValue(bucket: number): number {
  return bucket === ZERO_BUCKET ? 0 : (2 * GAMMA ** bucket) / (GAMMA + 1);
}

/**
 * Percentiles (0 to 1) of the values counted in `buckets` (bucket, count),
 * interpolated between the two nearest ranks as PostgreSQL's
 * `percentile_cont` does: each rank's value is its bucket's, so each result
 * is within RELATIVE_ACCURACY of the exact percentile. Null when empty.
 */
export function histogramPercentiles(buckets: readonly (readonly [number, number])[], fractions: readonly number[]): (number | null)[] {
  const sorted = buckets.filter(([, count]) => count > 0).toSorted((a, b) => a[0] - b[0]);
  const total = sorted.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return fractions.map(() => null);
  /** The value at 0-based rank `rank`. */
  const at = (rank: number): number => {
    let seen = 0;
    for (const [bucket, count] of sorted) {
      seen += count;
      if (rank < seen) return bucketValue(bucket);
    }
    return bucketValue(sorted.at(-1)![0]);
  };
  return fractions.map((p) => {
    const position = p * (total - 1);
    const below = Math.floor(position);
    const low = at(below);
    return position === below ? low : low + (position - below) * (at(below + 1) - low);
  });
}
