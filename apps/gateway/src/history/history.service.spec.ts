import { Message } from '@chat/contracts';
import { HistoryClient } from './history.client';
import { HistoryService, mergeByOffset } from './history.service';
import { RecentHistoryReader } from './recent-history.reader';
import { RecentMessagesBuffer } from './recent-messages.buffer';

const msg = (offset: number, id = `m${offset}`): Message => ({
  messageId: id,
  roomId: 'general',
  senderId: 'alice',
  body: `b${offset}`,
  clientMsgId: `c${offset}`,
  offset,
  sentAt: new Date(0).toISOString(),
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => msg(from + i));

/** Fakes (unit test): a cache holding offsets 100..299 and a persister holding 0..299. */
function setup() {
  const persisted = range(0, 299);
  const cached = range(100, 299);
  const cache = {
    newest: jest.fn(async (_room: string, count: number, before?: number) =>
      cached.filter((m) => before === undefined || m.offset < before).slice(-count),
    ),
    after: jest.fn(async (_room: string, after: number, count: number) =>
      (cached[0]?.offset ?? Infinity) > after ? null : cached.filter((m) => m.offset > after).slice(0, count),
    ),
  };
  const persister = {
    page: jest.fn(async (req: { mode: string; limit: number; beforeOffset?: number; afterOffset?: number }) => {
      if (req.mode === 'after') {
        const messages = persisted.filter((m) => m.offset > (req.afterOffset as number)).slice(0, req.limit);
        return { ok: true as const, messages, hasMore: false };
      }
      const older = persisted.filter((m) => req.beforeOffset === undefined || m.offset < req.beforeOffset);
      return { ok: true as const, messages: older.slice(-req.limit), hasMore: older.length > req.limit };
    }),
  };
  const buffer = new RecentMessagesBuffer();
  const service = new HistoryService(cache as unknown as RecentHistoryReader, persister as unknown as HistoryClient, buffer);
  return { service, cache, persister, buffer };
}

describe('HistoryService', () => {
  it('serves the newest page from the cache alone', async () => {
    const { service, persister } = setup();
    const page = await service.page('general', 50);
    expect(page.messages.map((m) => m.offset)).toEqual(range(250, 299).map((m) => m.offset));
    expect(page.hasMore).toBe(true);
    expect(persister.page).not.toHaveBeenCalled();
  });

  it('asks the persister for pages older than the cache', async () => {
    const { service, persister } = setup();
    const page = await service.page('general', 50, 120);
    expect(page.messages.map((m) => m.offset)).toEqual(range(70, 119).map((m) => m.offset));
    expect(page.hasMore).toBe(true);
    expect(persister.page).toHaveBeenCalledWith({ mode: 'before', roomId: 'general', beforeOffset: 120, limit: 50 });
  });

  it('adds messages fanned out here but not yet persisted', async () => {
    const { service, buffer } = setup();
    buffer.add(msg(300));
    buffer.add(msg(301));
    const page = await service.page('general', 3);
    expect(page.messages.map((m) => m.offset)).toEqual([299, 300, 301]);
    expect(await service.after('general', 298, 10)).toEqual([msg(299), msg(300), msg(301)]);
  });

  it('recovers from the cache when it reaches back far enough, else from the persister', async () => {
    const { service, persister } = setup();
    expect((await service.after('general', 290, 1000)).map((m) => m.offset)).toEqual(range(291, 299).map((m) => m.offset));
    expect(persister.page).not.toHaveBeenCalled();
    expect((await service.after('general', 10, 5)).map((m) => m.offset)).toEqual([11, 12, 13, 14, 15]);
    expect(persister.page).toHaveBeenCalledWith({ mode: 'after', roomId: 'general', afterOffset: 10, limit: 5 });
  });
});

describe('mergeByOffset', () => {
  it('unions ascending and keeps the first offset of a repeated messageId', () => {
    expect(mergeByOffset([msg(1), msg(3)], [msg(2), msg(3), msg(4, 'm1')])).toEqual([msg(1), msg(2), msg(3)]);
  });

  it('answers from the persister alone while the cache (Redis) is down', async () => {
    const { service, cache, persister } = setup();
    cache.newest.mockRejectedValue(new Error('redis down'));
    cache.after.mockRejectedValue(new Error('redis down'));
    expect((await service.page('general', 50)).messages.map((m) => m.offset)).toEqual(range(250, 299).map((m) => m.offset));
    expect((await service.after('general', 290, 100)).map((m) => m.offset)).toEqual(range(291, 299).map((m) => m.offset));
    expect(persister.page).toHaveBeenCalledTimes(2);
  });
});
