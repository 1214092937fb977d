/** What became of one item of a batch. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: Error };

/** Every item of the batch succeeded, with nothing to report. */
export function allDone(batch: readonly unknown[]): Outcome<void>[] {
  return batch.map(() => ({ ok: true, value: undefined }));
}

export interface InFlightBatcherOptions<T, R> {
  /**
   * Sends one batch, oldest item first, and says what became of each item, in order. Throwing
   * fails every item of the batch with that error. The next batch waits until this one is done.
   */
  send: (batch: readonly T[]) => Promise<readonly Outcome<R>[]>;
  maxBatch: number;
  /**
   * How long the first item waits for company. Not given: only what is added in the same
   * synchronous run (a microtask); 0: to the end of the event-loop turn; else milliseconds.
   * Later batches need none: they gathered while the previous one was in flight.
   */
  lingerMs?: number;
  /** Items waiting (not yet in flight) at most; unbounded when not given. */
  queueLimit?: number;
  /** When full: refuse the new item (the default), or drop the oldest waiting one. */
  whenFull?: 'refuse' | 'drop-oldest';
  /** What a refused or dropped item is rejected with. */
  fullError?: () => Error;
  /** An item nobody waits for any more when its batch is taken: rejected with this error, not sent. */
  expired?: (item: T, now: number) => Error | undefined;
}

interface Waiting<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (error: Error) => void;
}

/**
 * One send in flight at a time; whatever is added meanwhile goes in the next batch, in order.
 * The cheap way to pay per request, not per item (ADR 0009), without holding an item back
 * when nothing is in flight.
 */
export class InFlightBatcher<T, R = void> {
  private readonly waiting: Waiting<T, R>[] = [];
  private flushing: Promise<void> | null = null;
  private droppedCount = 0;

  constructor(private readonly options: InFlightBatcherOptions<T, R>) {
    if (options.maxBatch < 1) throw new Error('maxBatch must be at least 1');
    if (options.queueLimit !== undefined && options.queueLimit < 1) throw new Error('queueLimit must be at least 1');
  }

  /** Items waiting for a batch (those in flight not counted). */
  get size(): number {
    return this.waiting.length;
  }

  /** Items dropped so far to make room (whenFull: 'drop-oldest'). */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Settles with the item's outcome once its batch has been sent. */
  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.waiting.length >= (this.options.queueLimit ?? Infinity)) {
        if (this.options.whenFull !== 'drop-oldest') return reject(this.fullError());
        this.waiting.shift()?.reject(this.fullError());
        this.droppedCount++;
      }
      this.waiting.push({ item, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** Resolves once nothing waits and nothing is in flight. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private fullError(): Error {
    return this.options.fullError?.() ?? new Error('queue is full');
  }

  private async flush(): Promise<void> {
    // Awaited before anything else, so `flushing` is assigned before this can finish; the last
    // empty-queue check and the reset below then run in one synchronous step, leaving no window
    // in which an added item would have nobody flushing it.
    await this.linger();
    try {
      while (this.waiting.length > 0) {
        const batch = this.take();
        if (batch.length > 0) await this.sendAndSettle(batch);
      }
    } finally {
      this.flushing = null;
    }
  }

  private linger(): Promise<void> {
    const { lingerMs } = this.options;
    if (lingerMs === undefined) return Promise.resolve();
    return new Promise<void>((resolve) => (lingerMs > 0 ? setTimeout(resolve, lingerMs) : setImmediate(resolve)));
  }

  private take(): Waiting<T, R>[] {
    const now = Date.now();
    const batch: Waiting<T, R>[] = [];
    for (const waiting of this.waiting.splice(0, this.options.maxBatch)) {
      const expired = this.options.expired?.(waiting.item, now);
      if (expired) waiting.reject(expired);
      else batch.push(waiting);
    }
    return batch;
  }

  private async sendAndSettle(batch: readonly Waiting<T, R>[]): Promise<void> {
    let outcomes: readonly Outcome<R>[];
    try {
      outcomes = await this.options.send(batch.map((w) => w.item));
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const waiting of batch) waiting.reject(failure);
      return;
    }
    batch.forEach((waiting, i) => {
      const outcome = outcomes[i];
      if (!outcome) waiting.reject(new Error(`send answered ${outcomes.length} of ${batch.length} items`));
      else if (outcome.ok) waiting.resolve(outcome.value);
      else waiting.reject(outcome.error);
    });
  }
}
