import type Redis from 'ioredis';
import { message } from '../testing/fixtures';
import { testRedis, uniqueRoom } from '../testing/infra';
import { RecentHistoryCache } from './recent-history.cache';
import { RedisKeys } from '@chat/contracts';

/** The items at these indexes; an index past the end is a mistake in the test. */
function pick<T>(all: readonly T[], ...indexes: number[]): T[] {
  return indexes.map((i) => {
    const item = all[i];
    if (item === undefined) throw new Error(`no item at ${i} of ${all.length}`);
    return item;
  });
}

describe('RecentHistoryCache (Redis)', () => {
  let redis: Redis;
  let cache: RecentHistoryCache;
  const rooms: string[] = [];
  const room = () => {
    const roomId = uniqueRoom('cache');
    rooms.push(roomId);
    return roomId;
  };

  beforeAll(() => {
    redis = testRedis();
    cache = new RecentHistoryCache(redis, { RECENT_HISTORY_SIZE: 5 });
  });

  afterAll(async () => {
    if (rooms.length > 0) await redis.del(...rooms.map((room) => RedisKeys.recentHistory(room)));
    await redis.quit();
  });

  it('keeps the newest N messages of a room, ascending by offset, whatever order they arrive in', async () => {
    const roomId = room();
    const all = [1, 2, 3, 4, 5, 6, 7, 8].map((offset) => message(offset, { roomId }));
    await cache.add(pick(all, 7, 2, 0));
    await cache.add(pick(all, 5, 1, 6, 3, 4));
    expect(await cache.read(roomId)).toEqual(all.slice(3));
  });

  it('does not let an old redelivered message back in once N newer ones exist', async () => {
    const roomId = room();
    const all = [10, 11, 12, 13, 14, 15].map((offset) => message(offset, { roomId }));
    await cache.add(all);
    await cache.add(pick(all, 0));
    expect((await cache.read(roomId)).map((m) => m.offset)).toEqual([11, 12, 13, 14, 15]);
  });

  it('treats re-adding the same message as a no-op', async () => {
    const roomId = room();
    const batch = [message(1, { roomId }), message(2, { roomId })];
    await cache.add(batch);
    await cache.add(batch);
    await cache.add(pick(batch, 0).map((m) => ({ ...m })));
    expect(await redis.zcard(RedisKeys.recentHistory(roomId))).toBe(2);
    expect(await cache.read(roomId)).toEqual(batch);
  });

  it('writes every room of a batch to its own key', async () => {
    const [a, b] = [room(), room()];
    await cache.add([message(1, { roomId: a }), message(7, { roomId: b }), message(2, { roomId: a })]);
    expect((await cache.read(a)).map((m) => m.offset)).toEqual([1, 2]);
    expect((await cache.read(b)).map((m) => m.offset)).toEqual([7]);
  });

  it('fails loudly when a pipeline command fails', async () => {
    const roomId = room();
    await redis.set(RedisKeys.recentHistory(roomId), 'not a sorted set');
    await expect(cache.add([message(1, { roomId })])).rejects.toThrow(/zadd chat:recent:.*WRONGTYPE/);
  });
});
