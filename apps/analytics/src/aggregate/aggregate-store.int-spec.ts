import { analyticsKeys } from '@chat/contracts';
import { RUN, testConfig, testRedis } from '../testing/infra';
import { RebuildInProgressError, RedisAggregateStore } from './aggregate-store';

describe('RedisAggregateStore (real Redis)', () => {
  const config = testConfig();
  const keys = analyticsKeys(`store-it-${RUN}`);
  const redis = testRedis(config);
  const store = new RedisAggregateStore(redis, keys);
  const ref = { groupId: 'g', topic: 'chat.messages.v1', partition: 0 };

  afterAll(async () => {
    const leftovers = await redis.keys(`${keys.space}:*`);
    if (leftovers.length > 0) await redis.del(...leftovers);
    await redis.quit();
  });

  it('applies ops and the next offset together, only against the offset it was planned on', async () => {
    const ops = [['HINCRBY', keys.totals(), 'messages', '3'], ['HINCRBY', keys.minute(1), 'messages', '3'], ['PEXPIREAT', keys.minute(1), String(Date.now() + 60_000)]] as const;
    await expect(store.apply(ref, null, '3', [...ops])).resolves.toBe(true);
    await expect(store.storedNext(ref)).resolves.toBe('3');
    // A second member planned against the old offset: it writes nothing.
    await expect(store.apply(ref, null, '3', [...ops])).resolves.toBe(false);
    await expect(store.apply(ref, '2', '5', [...ops])).resolves.toBe(false);
    expect(await redis.hget(keys.totals(), 'messages')).toBe('3');
    expect(await redis.pttl(keys.minute(1))).toBeGreaterThan(0);
  });

  it('keeps the online set and samples its size, and refuses a plan with an op it does not know, writing nothing', async () => {
    const other = { ...ref, topic: 'presence.changes.v1' };
    await store.apply(other, null, '2', [
      ['SADD', keys.online(), 'a'],
      ['SADD', keys.online(), 'b'],
      ['HSETCARD', keys.second(5), 'online', keys.online()],
    ]);
    expect(await redis.hget(keys.second(5), 'online')).toBe('2');
    // Checked before anything runs: a bad plan writes nothing at all.
    const bogus = [['SREM', keys.online(), 'a'], ['DEL', keys.online()]] as unknown as Parameters<typeof store.apply>[3];
    await expect(store.apply(other, '2', '3', bogus)).rejects.toThrow(/unknown op/);
    await expect(store.storedNext(other)).resolves.toBe('2');
    expect(await redis.scard(keys.online())).toBe(2);
  });

  it('while a rebuild holds the lock, writes only for the rebuild: the live service waits, writing nothing', async () => {
    const signals = { ...ref, topic: 'chat.signals.v1' };
    const rebuild = new RedisAggregateStore(redis, keys, 'token-1');
    const ops = [['HINCRBY', keys.roomTotals('locked'), 'typing', '1']] as const;
    await redis.set(keys.rebuildLock(), 'token-1', 'PX', 60_000);
    await expect(store.apply(signals, null, '1', [...ops])).rejects.toBeInstanceOf(RebuildInProgressError);
    await expect(new RedisAggregateStore(redis, keys, 'token-2').apply(signals, null, '1', [...ops])).rejects.toBeInstanceOf(RebuildInProgressError);
    await expect(store.storedNext(signals)).resolves.toBeNull();
    await expect(rebuild.apply(signals, null, '1', [...ops])).resolves.toBe(true);
    await redis.del(keys.rebuildLock());
    await expect(store.apply(signals, '1', '2', [...ops])).resolves.toBe(true);
    expect(await redis.hget(keys.roomTotals('locked'), 'typing')).toBe('2');
  });
});
