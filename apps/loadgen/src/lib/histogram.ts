import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, Histogram } from 'hdr-histogram-js';

/** Latency percentiles in milliseconds (recorded in microseconds, 3 significant digits). */
export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

const MAX_TRACKABLE_US = 10 * 60 * 1000 * 1000; // ten minutes: anything above is clamped

/** An HDR histogram of durations, fed in milliseconds (fractions allowed), read in milliseconds. */
export class LatencyHistogram {
  private readonly histogram: Histogram = build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: MAX_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
  });

  recordMs(ms: number): void {
    const us = Math.round(ms * 1000);
    this.histogram.recordValue(Math.min(MAX_TRACKABLE_US, Math.max(0, us)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  percentileMs(percentile: number): number {
    return this.count === 0 ? 0 : this.histogram.getValueAtPercentile(percentile) / 1000;
  }

  add(other: LatencyHistogram): void {
    this.histogram.add(other.histogram);
  }

  /** The bucket counts, compressed, for another process to add to its own (worker processes). */
  encode(): string {
    return encodeIntoCompressedBase64(this.histogram);
  }

  /** Adds the bucket counts of an encode()d histogram: the merge is exact, not an estimate. */
  addEncoded(encoded: string): void {
    this.histogram.add(decodeFromCompressedBase64(encoded, 32));
  }

  summary(): LatencySummary {
    if (this.count === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    const ms = (us: number) => round3(us / 1000);
    return {
      count: this.count,
      min: ms(this.histogram.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : this.histogram.minNonZeroValue),
      mean: ms(this.histogram.mean),
      p50: ms(this.histogram.getValueAtPercentile(50)),
      p90: ms(this.histogram.getValueAtPercentile(90)),
      p99: ms(this.histogram.getValueAtPercentile(99)),
      p999: ms(this.histogram.getValueAtPercentile(99.9)),
      max: ms(this.histogram.maxValue),
    };
  }
}

export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
