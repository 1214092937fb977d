import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Message, RedisKeys, RedisValues } from '@chat/contracts';
import { connectRedis } from '@chat/redis';
import { RecentHistoryReader } from './recent-history.reader';

const logger = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

describe('RecentHistoryReader (real Redis, keys as the persister writes them)', () => {
  const redis = connectRedis({ url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', connectionName: 'gateway-history-it' });
  const reader = new RecentHistoryReader(redis, logger);
  const roomId = `it-history-${randomUUID()}`;
  const message = (offset: number): Message => ({
    messageId: `m-${offset}`,
    roomId,
    senderId: 'alice',
    body: `body ${offset}`,
    clientMsgId: `c-${offset}`,
    sentAt: '2026-12-02T00:00:00.000Z',
    offset,
  });

  beforeAll(async () => {
    // No offline queue (production's setting): commands wait for nothing, so the test waits for the connection.
    await new Promise((resolve) => redis.once('ready', resolve));
    // The cache holds a contiguous suffix of the room: offsets 10..14.
    const members = [10, 11, 12, 13, 14].flatMap((offset) => [offset, RedisValues.recentMessage.encode(message(offset))]);
    await redis.zadd(RedisKeys.recentHistory(roomId), ...members);
  });

  afterAll(async () => {
    await redis.del(RedisKeys.recentHistory(roomId));
    redis.disconnect();
  });

  it('serves the newest page, and the page before an offset, ascending', async () => {
    expect((await reader.newest(roomId, 3)).map((m) => m.offset)).toEqual([12, 13, 14]);
    expect((await reader.newest(roomId, 2, 12)).map((m) => m.offset)).toEqual([10, 11]);
    expect(await reader.newest(roomId, 3)).toContainEqual(message(14));
  });

  it('serves what a reconnecting client missed only when the cache reaches back that far', async () => {
    expect((await reader.after(roomId, 11, 10))?.map((m) => m.offset)).toEqual([12, 13, 14]);
    expect((await reader.after(roomId, 10, 2))?.map((m) => m.offset)).toEqual([11, 12]);
    // Offset 5 is older than the cache: only the persister knows what came after it.
    expect(await reader.after(roomId, 5, 10)).toBeNull();
  });

  it('makes a read that meets an invalid member a miss instead of a gap', async () => {
    const other = `it-history-${randomUUID()}`;
    try {
      await redis.zadd(RedisKeys.recentHistory(other), 1, RedisValues.recentMessage.encode({ ...message(1), roomId: other }), 2, '{"messageId":"m-2"}');
      expect(await reader.newest(other, 10)).toEqual([]);
      expect(await reader.after(other, 1, 10)).toBeNull();
    } finally {
      await redis.del(RedisKeys.recentHistory(other));
    }
  });
});
