import { ChatMessageRecord, ChatMessagesTopic, ChatSignalsTopic, encodeRecord, OpsLogsTopic } from '@chat/contracts';
import type { ErrorsView } from '../query/errors.service';
import type { RoomView } from '../query/room.service';
import { AnalyticsHarness } from '../testing/analytics-harness';
import { eventually, RUN, RunningAnalytics, silentLogger, sleep, startAnalytics } from '../testing/infra';
import { opsLog, typingSignal } from '../testing/records';
import { rebuildAnalytics } from './rebuild';
import { RebuildRefusedError } from './rebuild-lock';

describe('rebuild (real Kafka and Redis, the live service running)', () => {
  const harness = new AnalyticsHarness();
  const { config, keys, kafka, redis } = harness;
  const service = `it-${RUN}`;
  const roomOf = (label: string) => `it-${RUN}-${label}`;
  const rooms = [roomOf('north'), roomOf('south'), roomOf('east')] as const;
  const roomAt = (i: number) => rooms[i % rooms.length] ?? rooms[0];
  let analytics: RunningAnalytics;
  let since: number;
  let sequence = 0;

  const message = (roomId: string, senderId: string, sentAt: number): ChatMessageRecord => ({
    messageId: `${RUN}-${++sequence}`,
    roomId,
    senderId,
    body: `hello ${sequence}`,
    clientMsgId: `c-${sequence}`,
    sentAt: new Date(sentAt).toISOString(),
  });
  const send = (topic: string, messages: { key: string | null; value: string }[]) => harness.producer.send({ topic, acks: -1, messages });
  const sendMessages = (records: ChatMessageRecord[]) => send(ChatMessagesTopic.name, records.map((r) => encodeRecord(ChatMessagesTopic, r)));
  const roomView = async (roomId: string) => (await analytics.get<RoomView>(`/analytics/rooms/${encodeURIComponent(roomId)}`)).body;

  /** What the API says of the run's rooms and service (the parts a passing minute does not change), and their raw keys. */
  async function numbers() {
    const views = await Promise.all(rooms.map(async (roomId) => {
      const { total, messages, distinctSenders } = await roomView(roomId);
      return { roomId, total, last5m: messages.last5m, last60m: messages.last60m, distinctSenders };
    }));
    const errors = (await analytics.get<ErrorsView>('/analytics/errors?window=1h')).body.services[service];
    const raw: Record<string, unknown> = {};
    for (const roomId of rooms) {
      for (const key of (await redis.keys(`${keys.space}:*:${roomId}`)).sort()) {
        const type = await redis.type(key);
        const value = type === 'hash' ? await redis.hgetall(key) : await redis.pfcount(key);
        raw[key] = { value, expireAt: Number(await redis.call('PEXPIRETIME', key)) };
      }
    }
    return { views, errors, raw };
  }

  beforeAll(async () => {
    since = Date.now();
    await harness.open();
    analytics = await startAnalytics(config);
  });

  afterAll(async () => {
    await analytics?.close();
    await harness.close();
  });

  it('N records in, the live numbers read, rebuild --since: the same numbers, and the live service goes on counting once', async () => {
    const now = Date.now();
    const n = 240;
    // Two minutes apart, so the rebuild has more than one minute and second bucket to get right.
    await sendMessages(Array.from({ length: n }, (_, i) => message(roomAt(i), `u${i % 11}`, i % 2 === 0 ? now : now - 120_000)));
    await send(ChatSignalsTopic.name, [typingSignal(rooms[0]), typingSignal(rooms[1], 'bob')].map((s) => encodeRecord(ChatSignalsTopic, s)));
    const time = new Date(now).toISOString();
    await send(OpsLogsTopic.name, [opsLog({ service, time }), opsLog({ service, time, level: 'warn' })].map((r) => encodeRecord(OpsLogsTopic, r)));
    await eventually(numbers, (x) => x.views.every((v) => v.total.messages === n / 3) && x.errors?.total === 2);
    const live = await numbers();
    expect(live.raw[keys.roomTotals(rooms[0])]).toMatchObject({ value: { messages: String(n / 3), typing: '1' } });

    const report = await rebuildAnalytics({ kafka, redis, config, logger: silentLogger, sinceMs: since });

    expect(report.topics.find((t) => t.topic === ChatMessagesTopic.name)?.counted).toBeGreaterThanOrEqual(n);
    // The live service runs: its groups have members, so Kafka will not let their offsets be moved.
    expect(report.liveGroupsMoved).toBe(false);
    expect(await redis.exists(keys.rebuildLock())).toBe(0);
    expect(await numbers()).toEqual(live);

    // The live service resumes after the rebuild's stored offsets: new records once, old ones never again.
    await sendMessages(Array.from({ length: 9 }, (_, i) => message(roomAt(i), 'late', Date.now())));
    await eventually(numbers, (x) => x.views.every((v) => v.total.messages === n / 3 + 3));
    await sleep(1500);
    expect((await numbers()).views.map((v) => v.total.messages)).toEqual([n / 3 + 3, n / 3 + 3, n / 3 + 3]);
  });

  it('while a rebuild holds the lock the live service counts nothing, and afterwards what came meanwhile, once', async () => {
    const quiet = `it-${RUN}-quiet`;
    await redis.set(keys.rebuildLock(), 'another-rebuild', 'PX', 30_000);
    await sendMessages(Array.from({ length: 5 }, () => message(quiet, 'q', Date.now())));
    await sleep(3000);
    expect((await roomView(quiet)).total.messages).toBe(0);
    await expect(rebuildAnalytics({ kafka, redis, config, logger: silentLogger, sinceMs: since })).rejects.toBeInstanceOf(RebuildRefusedError);
    await redis.del(keys.rebuildLock());
    await eventually(() => roomView(quiet), (v) => v.total.messages >= 5);
    await sleep(1500);
    expect((await roomView(quiet)).total.messages).toBe(5);
  });
});
