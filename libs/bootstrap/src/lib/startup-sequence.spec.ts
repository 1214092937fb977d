import pino from 'pino';
import { StartupProgress } from './startup-progress';
import { StartupSequence } from './startup-sequence';

const logger = pino({ level: 'silent' });

describe('StartupSequence', () => {
  it('is ready only after every step, naming the phase in progress until then', async () => {
    const progress = new StartupProgress();
    const startup = new StartupSequence(progress, logger);
    let attempts = 0;
    await startup.run(async () => {
      startup.phase('kafka topics');
      await expect(progress.check()).rejects.toThrow('still starting: kafka topics');
      await startup.retry('kafka topics', async () => {
        if (++attempts < 2) throw new Error('broker down');
      });
      await expect(progress.check()).rejects.toThrow('still starting: kafka topics');
    });
    expect(attempts).toBe(2);
    await expect(progress.check()).resolves.toBeUndefined();
  });

  it('ends quietly, not ready, when shutdown begins while a step is retried', async () => {
    const progress = new StartupProgress();
    const startup = new StartupSequence(progress, logger);
    const run = startup.run(() => startup.retry('database', () => Promise.reject(new Error('down'))));
    setTimeout(() => startup.abort(), 10);
    await expect(run).resolves.toBeUndefined();
    await expect(progress.check()).rejects.toThrow('still starting');
  });

  it('fails on an error that is not shutdown', async () => {
    const startup = new StartupSequence(new StartupProgress(), logger);
    await expect(
      startup.run(async () => {
        throw new Error('schema is newer than this build');
      }),
    ).rejects.toThrow('schema is newer than this build');
  });
});
