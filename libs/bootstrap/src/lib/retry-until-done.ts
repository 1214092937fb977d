import type { Logger } from '@chat/logging';

export interface RetryOptions {
  signal: AbortSignal;
  logger: Logger;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** Thrown by retryUntilDone when shutdown began before the step succeeded. */
export class RetryAbortedError extends Error {
  constructor(what: string) {
    super(`${what}: gave up because the process is shutting down`);
    this.name = 'RetryAbortedError';
  }
}

export function backoffDelay(attempt: number, initialDelayMs: number, maxDelayMs: number): number {
  return Math.min(initialDelayMs * 2 ** Math.max(0, attempt - 1), maxDelayMs);
}

/**
 * Runs a start-up step until it succeeds: dependencies may come up after this process does,
 * and crashing would only restart it into the same wait without serving /health meanwhile.
 */
export async function retryUntilDone<T>(what: string, step: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { signal, logger, initialDelayMs = 500, maxDelayMs = 10_000 } = options;
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw new RetryAbortedError(what);
    try {
      const result = await step();
      if (attempt > 1) logger.info({ step: what, attempt }, `${what}: succeeded after retrying`);
      return result;
    } catch (error) {
      if (signal.aborted) throw new RetryAbortedError(what);
      const delayMs = backoffDelay(attempt, initialDelayMs, maxDelayMs);
      logger.warn({ step: what, attempt, delayMs, err: error }, `${what}: failed, retrying in ${delayMs} ms`);
      await sleep(delayMs, signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
