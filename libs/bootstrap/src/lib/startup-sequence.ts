import type { Logger } from '@chat/logging';
import { RetryAbortedError, retryUntilDone } from './retry-until-done';
import type { StartupProgress } from './startup-progress';

/**
 * The start-up a service's Lifecycle runs once HTTP listens: /health/ready names the phase in
 * progress, each step is retried until it succeeds (a dependency may come up after this process)
 * or shutdown begins, and the service is ready only when every step is done.
 */
export class StartupSequence {
  private readonly shutdown = new AbortController();

  constructor(
    private readonly progress: StartupProgress,
    private readonly logger: Logger,
  ) {}

  /** Runs `steps`, then reports ready; a shutdown that begins first ends it quietly (not an error). */
  async run(steps: () => Promise<void>): Promise<void> {
    try {
      await steps();
      this.progress.finish();
    } catch (error) {
      if (!(error instanceof RetryAbortedError)) throw error;
      this.logger.info(error.message);
    }
  }

  /** What /health/ready reports as still starting. */
  phase(name: string): void {
    this.progress.step(name);
  }

  retry<T>(what: string, step: () => Promise<T>): Promise<T> {
    return retryUntilDone(what, step, { signal: this.shutdown.signal, logger: this.logger });
  }

  /** Shutdown began: the step being retried gives up, and run() ends without reporting ready. */
  abort(): void {
    this.shutdown.abort();
  }
}
