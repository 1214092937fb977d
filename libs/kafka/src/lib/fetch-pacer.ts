/**
 * Spaces a busy consumer's fetches at least `minIntervalMs` apart, and leaves a quiet one alone.
 *
 * kafkajs fetches again as soon as the batches of the previous fetch are handled, so with
 * minBytes 1 a consumer under load makes one round trip (and, downstream, one Redis script or
 * SQL statement) per handful of records. Holding the end of a batch until the interval since
 * its fetch started has passed lets records gather at the broker instead. A fetch that waited
 * for its records (the quiet case) started longer ago than the interval, so nothing is held:
 * batching follows load and costs nothing at rest or at low rates (ADR 0028).
 */
export class FetchPacer {
  private fetchStartedAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly minIntervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(minIntervalMs > 0)) throw new Error(`FetchPacer: minIntervalMs must be positive, got ${minIntervalMs}`);
  }

  /** Called on kafkajs' FETCH_START: the batches handled next came from this fetch. */
  fetchStarted(): void {
    this.fetchStartedAt = this.now();
  }

  /** How long the batch just handled should hold its fetcher before the next fetch may start. */
  holdMs(): number {
    return Math.max(0, this.fetchStartedAt + this.minIntervalMs - this.now());
  }

  /** Waits holdMs, or less if the signal aborts (a stop must not wait for pacing). */
  async hold(signal?: AbortSignal): Promise<void> {
    const ms = this.holdMs();
    if (ms === 0 || signal?.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
