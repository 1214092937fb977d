import type { Redis } from '@chat/redis';
import type { Logger } from '@chat/logging';
import { Message, RedisValues } from '@chat/contracts';
import { RecentHistoryReader } from './recent-history.reader';

const msg = (offset: number): Message => ({
  messageId: `m${offset}`,
  roomId: 'general',
  senderId: 'alice',
  body: `b${offset}`,
  clientMsgId: `c${offset}`,
  offset,
  sentAt: new Date(0).toISOString(),
});

/** A fake Redis (unit test) holding one room's sorted set as its members ascending. */
function reader(members: string[]) {
  const redis = {
    zrevrangebyscore: async () => [...members].reverse(),
    multi: () => {
      const chain = {
        zrange: () => chain,
        zrangebyscore: () => chain,
        exec: async () => [
          [null, members.length === 0 ? [] : [members[0], '1']],
          [null, members.slice(1)],
        ],
      };
      return chain;
    },
  };
  const logger = { warn: jest.fn() };
  return { reader: new RecentHistoryReader(redis as unknown as Redis, logger as unknown as Logger), logger };
}

describe('RecentHistoryReader', () => {
  const valid = [1, 2, 3].map((o) => RedisValues.recentMessage.encode(msg(o)));

  it('decodes the members the persister wrote', async () => {
    const { reader: r } = reader(valid);
    await expect(r.newest('general', 10)).resolves.toEqual([msg(1), msg(2), msg(3)]);
    await expect(r.after('general', 1, 10)).resolves.toEqual([msg(2), msg(3)]);
  });

  it('makes a read with an invalid member a miss, and says why, instead of returning the rest', async () => {
    const members = [valid[0], '{"messageId":"m2"}', valid[2]];
    const { reader: r, logger } = reader(members);
    await expect(r.newest('general', 10)).resolves.toEqual([]);
    await expect(r.after('general', 1, 10)).resolves.toBeNull();
    expect(logger.warn).toHaveBeenCalledWith(expect.objectContaining({ roomId: 'general' }), expect.stringContaining('invalid recent-history member'));
  });
});
