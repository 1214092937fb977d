/**
 * Open-loop pacing: at any moment the number of sends due is rate × elapsed, whatever the
 * server's answers. A pacer that falls behind (the load generator's own event loop was busy)
 * catches up in batches of at most `maxBatch`, and records by how much it was late, so a
 * result can say when the load generator, not the server, limited the offered rate.
 */
export class Pacer {
  private sent = 0;
  private maxLag = 0;

  constructor(
    readonly ratePerSec: number,
    private readonly startedAt: number,
    private readonly maxBatch = 1000,
  ) {
    if (!(ratePerSec > 0)) throw new Error('rate must be positive');
  }

  /** How many sends are due at `now` (and counts them as sent). */
  take(now: number, limit = Number.POSITIVE_INFINITY): number {
    const target = Math.floor((this.ratePerSec * Math.max(0, now - this.startedAt)) / 1000);
    const behind = target - this.sent;
    if (behind <= 0) return 0;
    const count = Math.min(behind, this.maxBatch, limit);
    const lagMs = ((behind - count) / this.ratePerSec) * 1000;
    if (lagMs > this.maxLag) this.maxLag = lagMs;
    this.sent += count;
    return count;
  }

  get taken(): number {
    return this.sent;
  }

  /** The largest backlog seen, in milliseconds of sending at the set rate. */
  get maxLagMs(): number {
    return this.maxLag;
  }

  /** Milliseconds from `now` until the next send is due (0 if one is due already). */
  msUntilNext(now: number): number {
    const nextAt = this.startedAt + ((this.sent + 1) * 1000) / this.ratePerSec;
    return Math.max(0, nextAt - now);
  }
}
