import { DELAY_RELATIVE_ERROR, delayBucket, mergeDelayHashes, quantile } from './delay-sketch';

function sketchOf(delays: readonly number[]): Record<string, string> {
  const hash: Record<string, string> = {};
  for (const d of delays) {
    const b = String(delayBucket(d));
    hash[b] = String(Number(hash[b] ?? 0) + 1);
  }
  return hash;
}

function exactQuantile(delays: readonly number[], q: number): number {
  const sorted = [...delays].sort((a, b) => a - b);
  const value = sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
  if (value === undefined) throw new Error('no quantile of no delays');
  return value;
}

describe('delay sketch', () => {
  it('answers quantiles within its relative error bound', () => {
    // A deterministic spread from 2 ms to ~30 s (a long tail, like real delivery delays).
    const delays = Array.from({ length: 5000 }, (_, i) => 2 + ((i * 7919) % 5000) ** 1.9 / 300);
    const counts = mergeDelayHashes([sketchOf(delays)]);
    for (const q of [0.5, 0.9, 0.99, 1]) {
      const exact = exactQuantile(delays, q);
      const estimate = quantile(counts, q) as number;
      expect(Math.abs(estimate - exact) / exact).toBeLessThanOrEqual(DELAY_RELATIVE_ERROR + 1e-9);
    }
  });

  it('merges per-minute sketches into the sketch of their union', () => {
    const a = [5, 10, 20, 40];
    const b = [80, 160, 320];
    expect(mergeDelayHashes([sketchOf(a), sketchOf(b)])).toEqual(mergeDelayHashes([sketchOf([...a, ...b])]));
  });

  it('puts zero, negative (clock skew) and sub-millisecond delays in bucket 0, and has no quantile when empty', () => {
    expect([0, -5, 0.5, 1].map(delayBucket)).toEqual([0, 0, 0, 0]);
    expect(quantile(new Map(), 0.5)).toBeNull();
  });
});
