import { connectRedis, RedisReadinessCheck } from './redis.module';

describe('Redis connection and readiness (real Redis)', () => {
  it('is ready against the running Redis', async () => {
    const redis = connectRedis({ url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', connectionName: 'redis-int' });
    await new Promise((resolve) => redis.once('ready', resolve));
    await expect(new RedisReadinessCheck(redis).check()).resolves.toBeUndefined();
    redis.disconnect();
  });

  it('fails a command at once, instead of queueing it, while Redis is unreachable', async () => {
    const redis = connectRedis({ url: 'redis://127.0.0.1:1', connectionName: 'redis-int-down' });
    const started = Date.now();
    await expect(new RedisReadinessCheck(redis).check()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1000);
    redis.disconnect();
  });
});
