import { analyticsKeys } from '@chat/contracts';
import { RedisAggregateStore } from '../aggregate/aggregate-store';
import { planBatch } from '../aggregate/planner';
import { messageRecord, opsLog, presenceChange, sourceRecords } from '../testing/records';
import { RUN, testConfig, testRedis } from '../testing/infra';
import { ErrorsService } from './errors.service';
import { RoomService } from './room.service';
import { SummaryService } from './summary.service';
import { WindowReader } from './window-reader';

/** The read side over real Redis, with buckets written by the real script and a clock the spec moves. */
describe('analytics read API windows (real Redis)', () => {
  const redis = testRedis(testConfig());
  const keys = analyticsKeys(`query-it-${RUN}`);
  const store = new RedisAggregateStore(redis, keys);
  const windows = { secondsKeptMs: 300_000, minutesKeptMs: 86_400_000 };
  // Whole minute, a little in the past: every bucket written below is still live in Redis.
  const T = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  let partition = 0;
  let clock = T;
  const reader = new WindowReader(redis, keys);
  const errors = new ErrorsService(reader, () => clock);
  const summaries = new SummaryService(reader, errors, () => clock);
  const rooms = new RoomService(reader, () => clock);

  async function write(topic: 'chat.messages.v1' | 'presence.changes.v1' | 'ops.logs.v1', records: ReturnType<typeof sourceRecords>, consumedAt: number) {
    const ref = { groupId: 'g', topic, partition: partition++ };
    const plan = planBatch(topic, records, null, { keys, windows, now: consumedAt });
    expect(await store.apply(ref, null, plan.nextOffset, plan.ops)).toBe(true);
  }

  beforeAll(async () => {
    // 30 messages in `busy` over the 10 s before T+30 s (3 a second), 5 in `quiet` at T+30 s, 2 in `busy` at T-2 min.
    const busy = Array.from({ length: 30 }, (_, i) => messageRecord({ roomId: 'busy', senderId: `u${i % 4}`, sentAt: iso(T + 20_000 + Math.floor(i / 3) * 1000) }));
    const quiet = Array.from({ length: 5 }, () => messageRecord({ roomId: 'quiet', sentAt: iso(T + 30_000) }));
    const earlier = [messageRecord({ roomId: 'busy', sentAt: iso(T - 120_000) }), messageRecord({ roomId: 'busy', sentAt: iso(T - 120_000) })];
    await write('chat.messages.v1', sourceRecords('message', busy), T + 30_100);
    await write('chat.messages.v1', sourceRecords('message', [...quiet, ...earlier]), T + 30_100);
    await write('presence.changes.v1', sourceRecords('presence', [presenceChange('ann', 'online', iso(T + 25_000)), presenceChange('bob', 'online', iso(T + 26_000))]), T + 30_100);
    await write('ops.logs.v1', sourceRecords('log', [opsLog({ time: iso(T + 10_000) }), opsLog({ time: iso(T - 20 * 60_000), service: 'presence' })]), T + 30_100);
  });

  afterAll(async () => {
    const leftovers = await redis.keys(`${keys.space}:*`);
    if (leftovers.length > 0) await redis.del(...leftovers);
    await redis.quit();
  });

  it('summarises: rates over the last full seconds, top rooms merged over minutes, online, delay', async () => {
    clock = T + 30_500;
    const summary = await summaries.summary();
    expect(summary.total.messages).toBe(37);
    // Seconds T+20 … T+29 hold 3 busy messages each; T+30 (quiet) is the current second, not yet a rate.
    expect(summary.ratesPerSecond.messages).toBe(3);
    expect(summary.topRooms5m).toEqual([{ roomId: 'busy', messages: 32 }, { roomId: 'quiet', messages: 5 }]);
    expect(summary.onlineNow).toBe(2);
    expect(summary.seconds.find((s) => s.second === iso(T + 26_000))?.online).toBe(2);
    expect(summary.delay5m.count).toBe(37);
    expect(summary.errors5m).toEqual({ gateway: { error: 1, warn: 0, fatal: 0, total: 1 } });
  });

  it('rolls the windows over as the clock moves', async () => {
    clock = T + 30_500 + 4 * 60_000;
    let busy = await rooms.room('busy');
    expect(busy.messages).toEqual({ last1m: 0, last5m: 30, last60m: 32 });
    expect(busy.total.messages).toBe(32);
    clock = T + 30_500 + 6 * 60_000;
    busy = await rooms.room('busy');
    expect(busy.messages).toEqual({ last1m: 0, last5m: 0, last60m: 32 });
    expect(busy.distinctSenders).toEqual({ last5m: 0, last60m: 5 });
    expect((await summaries.summary()).topRooms5m).toEqual([]);
    clock = T + 30_500 + 62 * 60_000;
    expect((await rooms.room('busy')).messages.last60m).toBe(0);
  });

  it('reads the errors of the window asked for', async () => {
    clock = T + 30_500;
    expect(Object.keys((await errors.errors(5)).services)).toEqual(['gateway']);
    expect(Object.keys((await errors.errors(60)).services).sort()).toEqual(['gateway', 'presence']);
  });
});
