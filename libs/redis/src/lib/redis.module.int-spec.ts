import { redisCommandDuration } from './command-metrics';
import { connectRedis, RedisReadinessCheck } from './redis.module';

const samples = async (command: string, result: string) =>
  (await redisCommandDuration.get()).values.find((v) => v.metricName === 'redis_command_duration_seconds_count' && v.labels.command === command && v.labels.result === result)?.value ?? 0;

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

  it('times every command, pipelined ones too, by command and result', async () => {
    const redis = connectRedis({ url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', connectionName: 'redis-int-metrics' });
    await new Promise((resolve) => redis.once('ready', resolve));
    const before = { set: await samples('set', 'ok'), get: await samples('get', 'ok'), hget: await samples('hget', 'error') };
    const key = `it:metrics:${Date.now()}`;
    await redis.set(key, 'v', 'EX', 10);
    await redis.pipeline().get(key).get(key).exec();
    await expect(redis.hget(key, 'f')).rejects.toThrow(/WRONGTYPE/);
    expect(await samples('set', 'ok')).toBe(before.set + 1);
    expect(await samples('get', 'ok')).toBe(before.get + 2);
    expect(await samples('hget', 'error')).toBe(before.hget + 1);
    redis.disconnect();
  });
});
