import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import pino from 'pino';
import { restartOnFatalCrash } from './restart-on-fatal-crash';

/** A fake kafkajs consumer (unit test): CRASH events on demand. */
function fakeConsumer() {
  const emitter = new EventEmitter();
  const consumer = {
    events: { CRASH: 'consumer.crash' },
    on: (event: string, listener: (e: unknown) => void) => emitter.on(event, listener),
    disconnect: jest.fn(async () => undefined),
  };
  const crash = (restart: boolean) => emitter.emit('consumer.crash', { payload: { error: new Error('boom'), restart } });
  return { consumer: consumer as unknown as Consumer, disconnect: consumer.disconnect, crash };
}

const logger = pino({ level: 'silent' });
const flush = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('restartOnFatalCrash', () => {
  it('leaves retriable crashes to kafkajs', async () => {
    const { consumer, disconnect, crash } = fakeConsumer();
    const restart = jest.fn(async () => undefined);
    restartOnFatalCrash(consumer, { name: 't', logger, signal: new AbortController().signal, restart });
    crash(true);
    await flush();
    expect(restart).not.toHaveBeenCalled();
    expect(disconnect).not.toHaveBeenCalled();
  });

  it('replaces a consumer kafkajs gave up on, retrying until the replacement runs', async () => {
    const { consumer, disconnect, crash } = fakeConsumer();
    const restart = jest.fn().mockRejectedValueOnce(new Error('broker still down')).mockResolvedValue(undefined);
    restartOnFatalCrash(consumer, { name: 't', logger, signal: new AbortController().signal, restart });
    crash(false);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(disconnect).toHaveBeenCalledTimes(1);
    expect(restart).toHaveBeenCalledTimes(2);
  });

  it('does not restart once shutdown began', async () => {
    const { consumer, crash } = fakeConsumer();
    const shutdown = new AbortController();
    const restart = jest.fn(async () => undefined);
    restartOnFatalCrash(consumer, { name: 't', logger, signal: shutdown.signal, restart });
    shutdown.abort();
    crash(false);
    await flush();
    expect(restart).not.toHaveBeenCalled();
  });
});
