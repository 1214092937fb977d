import type { Consumer } from 'kafkajs';
import { retryUntilDone } from '@chat/bootstrap';
import type { Logger } from '@chat/logging';

export interface FatalCrashOptions {
  /** Names the consumer in logs. */
  name: string;
  logger: Logger;
  /** Aborted on shutdown: no restart after that. */
  signal: AbortSignal;
  /** Creates and runs a replacement consumer (which should call restartOnFatalCrash itself). */
  restart: () => Promise<void>;
}

/**
 * kafkajs restarts a crashed consumer by itself only after retriable errors; after any other
 * (seen: a connection refused during a broker restart) the consumer stays dead, and with it
 * whatever it fed. This disconnects it and runs a replacement, retried with backoff until it runs.
 */
export function restartOnFatalCrash(consumer: Consumer, { name, logger, signal, restart }: FatalCrashOptions): void {
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart || signal.aborted) {
      logger.warn({ err: payload.error, restart: payload.restart, consumer: name }, `${name} consumer crashed`);
      return;
    }
    logger.error({ err: payload.error, consumer: name }, `${name} consumer crashed and kafkajs will not restart it; restarting`);
    void consumer
      .disconnect()
      .catch(() => undefined)
      .then(() => retryUntilDone(`${name} consumer restart`, restart, { signal, logger }))
      .catch((error: unknown) => logger.warn({ err: error, consumer: name }, `${name} consumer restart abandoned`));
  });
}
