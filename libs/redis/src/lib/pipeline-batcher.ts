import type { ChainableCommander, Redis } from 'ioredis';

interface Queued {
  add: (pipeline: ChainableCommander) => void;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * Sends the commands issued during one turn of the event loop as one pipeline: a hot path that
 * runs one command per client request (e.g. per chat message) then costs one round trip — one
 * write syscall here and one wake-up of Redis — per turn instead of per request. Each caller
 * still gets its own command's reply or error.
 */
export class PipelineBatcher {
  private queue: Queued[] = [];
  private scheduled = false;

  constructor(private readonly redis: Redis) {}

  /** `add` appends exactly one command to the pipeline; resolves with that command's reply. */
  run<T>(add: (pipeline: ChainableCommander) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ add, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate runs after this turn's I/O callbacks: every request read in it joins.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    const pipeline = this.redis.pipeline();
    for (const queued of batch) queued.add(pipeline);
    pipeline.exec().then(
      (replies) => {
        batch.forEach((queued, i) => {
          const [error, value] = replies?.[i] ?? [new Error('Redis returned no reply for a pipelined command'), null];
          if (error) queued.reject(error);
          else queued.resolve(value);
        });
      },
      (error: Error) => {
        for (const queued of batch) queued.reject(error);
      },
    );
  }
}
