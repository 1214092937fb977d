/**
 * A mergeable sketch of delays: log-spaced buckets (the DDSketch scheme). Bucket i > 0 holds
 * delays in (γ^(i-1), γ^i] ms and is reported as 2γ^i/(γ+1), so any quantile read from it is
 * within (γ-1)/(γ+1) ≈ 1% of a delay that was recorded at that rank. Bucket 0 holds ≤ 1 ms.
 * Stored as a Redis hash bucket → count per minute, windows merge by adding counts.
 */
export const DELAY_GAMMA = 1.02;
export const DELAY_RELATIVE_ERROR = (DELAY_GAMMA - 1) / (DELAY_GAMMA + 1);
const LOG_GAMMA = Math.log(DELAY_GAMMA);

export function delayBucket(ms: number): number {
  if (!(ms > 1)) return 0;
  return Math.ceil(Math.log(ms) / LOG_GAMMA);
}

export function bucketValue(bucket: number): number {
  if (bucket <= 0) return 0;
  return (2 * DELAY_GAMMA ** bucket) / (DELAY_GAMMA + 1);
}

/** Counts per bucket, merged from any number of per-minute hashes. */
export type DelayCounts = Map<number, number>;

export function mergeDelayHashes(hashes: readonly Record<string, string>[]): DelayCounts {
  const merged: DelayCounts = new Map();
  for (const hash of hashes) {
    for (const [bucket, count] of Object.entries(hash)) {
      merged.set(Number(bucket), (merged.get(Number(bucket)) ?? 0) + Number(count));
    }
  }
  return merged;
}

/** The q-quantile (0 < q ≤ 1) in ms, or null for an empty sketch. */
export function quantile(counts: DelayCounts, q: number): number | null {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const bucket of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(bucket) ?? 0;
    if (seen >= rank) return bucketValue(bucket);
  }
  return null;
}
