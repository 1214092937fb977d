import pino from 'pino';
import { backoffDelay, RetryAbortedError, retryUntilDone } from './retry-until-done';

const logger = pino({ level: 'silent' });

describe('retryUntilDone', () => {
  it('retries a failing step until it succeeds', async () => {
    let calls = 0;
    const result = await retryUntilDone(
      'step',
      async () => {
        calls++;
        if (calls < 3) throw new Error('not yet');
        return 'done';
      },
      { signal: new AbortController().signal, logger, initialDelayMs: 1 },
    );
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('stops waiting as soon as shutdown begins', async () => {
    const controller = new AbortController();
    const pending = retryUntilDone('step', () => Promise.reject(new Error('down')), {
      signal: controller.signal,
      logger,
      initialDelayMs: 60_000,
    });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toBeInstanceOf(RetryAbortedError);
  });

  it('backs off exponentially up to a ceiling', () => {
    expect([1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, 500, 3000))).toEqual([500, 1000, 2000, 3000, 3000]);
  });
});
