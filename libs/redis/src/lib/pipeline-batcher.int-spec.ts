import { randomUUID } from 'node:crypto';
import { PipelineBatcher } from './pipeline-batcher';
import { connectRedis } from './redis.module';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('PipelineBatcher (real Redis)', () => {
  const redis = connectRedis({ url: REDIS_URL, connectionName: 'pipeline-batcher-int' });
  const prefix = `pipeline-batcher-int:${randomUUID()}`;

  beforeAll(() => new Promise((resolve) => redis.once('ready', resolve)));
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('sends the commands of one event-loop turn as one pipeline, each caller getting its own reply', async () => {
    const pipelines = jest.spyOn(redis, 'pipeline');
    const batcher = new PipelineBatcher(redis);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => batcher.run<string | null>((p) => p.set(`${prefix}:${i % 25}`, String(i), 'NX', 'GET'))),
    );
    expect(pipelines).toHaveBeenCalledTimes(1);
    pipelines.mockRestore();
    // The first 25 claimed their keys (null); the next 25 found the first ones' values.
    expect(replies.slice(0, 25)).toEqual(Array(25).fill(null));
    expect(replies.slice(25)).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
  });

  it('fails only the command that failed', async () => {
    const batcher = new PipelineBatcher(redis);
    await redis.lpush(`${prefix}:list`, 'x');
    const [ok, wrongType] = await Promise.allSettled([
      batcher.run((p) => p.set(`${prefix}:fine`, '1')),
      batcher.run((p) => p.get(`${prefix}:list`)),
    ]);
    expect(ok).toEqual({ status: 'fulfilled', value: 'OK' });
    expect(wrongType.status).toBe('rejected');
    expect(String((wrongType as PromiseRejectedResult).reason)).toMatch(/WRONGTYPE/);
  });

  it('starts a new pipeline for commands issued after a flush', async () => {
    const batcher = new PipelineBatcher(redis);
    await batcher.run((p) => p.set(`${prefix}:a`, '1'));
    await expect(batcher.run((p) => p.get(`${prefix}:a`))).resolves.toBe('1');
  });

  it('rejects every command of the turn while Redis is unreachable', async () => {
    const down = connectRedis({ url: 'redis://127.0.0.1:1', connectionName: 'pipeline-batcher-int-down' });
    const batcher = new PipelineBatcher(down);
    const results = await Promise.allSettled([batcher.run((p) => p.get('a')), batcher.run((p) => p.get('b'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    down.disconnect();
  });
});
