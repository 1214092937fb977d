import { ChatMessageRecord, ChatMessagesTopic, ChatSignalsTopic, OpsLogsTopic, PresenceChangesTopic } from '@chat/contracts';
import { produce } from '@chat/kafka';
import { RedisAggregateStore } from './aggregate/aggregate-store';
import { BatchAggregator } from './aggregate/batch-aggregator';
import { AnalyticsMetrics } from './health/analytics-metrics';
import type { ErrorsView } from './query/errors.service';
import type { RoomView } from './query/room.service';
import type { SummaryView } from './query/summary.service';
import { AnalyticsHarness } from './testing/analytics-harness';
import { eventually, RUN, RunningAnalytics, startAnalytics } from './testing/infra';
import { opsLog, presenceChange, receiptSignal, typingSignal } from './testing/records';

const TOPIC = ChatMessagesTopic.name;

describe('analytics (real Kafka and Redis)', () => {
  const harness = new AnalyticsHarness();
  const { config, keys, kafka, redis } = harness;
  const messagesGroup = harness.groupOf(TOPIC);
  let analytics: RunningAnalytics | undefined;
  /** Where the run's messages group started: a replay goes back there. */
  let startOffsets: { partition: number; offset: string }[];
  let sequence = 0;

  const room = (label: string) => `it-${RUN}-${label}`;
  const message = (roomId: string, senderId: string, sentAt = new Date()): ChatMessageRecord => ({
    messageId: `${RUN}-${++sequence}`,
    roomId,
    senderId,
    body: `hello ${sequence}`,
    clientMsgId: `c-${sequence}`,
    sentAt: sentAt.toISOString(),
  });
  const sendMessages = (records: ChatMessageRecord[]) => produce(harness.producer, ChatMessagesTopic, records, { acks: -1 });
  const roomView = async (roomId: string) => (await (analytics as RunningAnalytics).get<RoomView>(`/analytics/rooms/${encodeURIComponent(roomId)}`)).body;
  const ends = async (topic: string) => (await harness.admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({ partition, offset: high }));
  /** Waits until the group has committed everything the topic holds now. */
  async function committedUpTo(groupId: string, topic: string): Promise<void> {
    const target = new Map((await ends(topic)).map((e) => [e.partition, BigInt(e.offset)]));
    await eventually(
      async () => (await harness.admin.fetchOffsets({ groupId, topics: [topic] })).find((t) => t.topic === topic)?.partitions,
      (partitions) => partitions !== undefined && partitions.every((p) => BigInt(p.offset) >= (target.get(p.partition) ?? 0n)),
    );
  }
  const skipped = async (app: RunningAnalytics) =>
    (await app.app.get(AnalyticsMetrics).records.get()).values.find((v) => v.labels['topic'] === TOPIC && v.labels['outcome'] === 'skipped')?.value ?? 0;

  beforeAll(async () => {
    await harness.open();
    startOffsets = await ends(TOPIC);
    analytics = await startAnalytics(config);
  });

  afterAll(async () => {
    await analytics?.close();
    await harness.close();
  });

  it('N messages in: the room and the summary show N, within the last 1, 5 and 60 minutes', async () => {
    const lobby = room('lobby');
    const n = 50;
    await sendMessages(Array.from({ length: n }, (_, i) => message(lobby, `u${i % 7}`)));
    const view = await eventually(() => roomView(lobby), (v) => v.total.messages >= n);
    expect(view).toMatchObject({ total: { messages: n }, messages: { last1m: n, last5m: n, last60m: n }, distinctSenders: { last5m: 7, last60m: 7 } });
    expect(view.series.reduce((a, p) => a + p.messages, 0)).toBe(n);
    const summary = (await (analytics as RunningAnalytics).get<SummaryView>('/analytics/summary')).body;
    expect(summary.total.messages).toBeGreaterThanOrEqual(n);
    const top = summary.topRooms5m.find((r) => r.roomId === lobby);
    // Other runs' traffic shares the topic: the room is in the top 10 unless ten busier rooms are.
    if (top) expect(top.messages).toBe(n);
    else expect(summary.topRooms5m.every((r) => r.messages >= n)).toBe(true);
    expect(summary.delay5m.count).toBeGreaterThanOrEqual(n);
    expect(summary.delay5m.p50Ms).not.toBeNull();
  });

  it('counts distinct senders within HyperLogLog error', async () => {
    const crowd = room('crowd');
    const senders = 1000;
    await sendMessages(Array.from({ length: senders }, (_, i) => message(crowd, `s-${RUN}-${i}`)));
    const view = await eventually(() => roomView(crowd), (v) => v.total.messages >= senders);
    // Redis' HLL has a 0.81% standard error: 3 standard errors is a bound a correct count never leaves.
    expect(Math.abs(view.distinctSenders.last5m - senders)).toBeLessThanOrEqual(Math.ceil(senders * 0.0081 * 3));
  });

  it('a replay of the range from the group start does not count twice', async () => {
    const before = await roomView(room('lobby'));
    // A clean stop commits what was counted: only the reset below makes the group read it again.
    await (analytics as RunningAnalytics).close();
    await committedUpTo(messagesGroup, TOPIC);
    await harness.admin.setOffsets({ groupId: messagesGroup, topic: TOPIC, partitions: startOffsets });
    analytics = await startAnalytics(config);
    await eventually(() => skipped(analytics as RunningAnalytics), (n) => n >= 1050);
    expect(await roomView(room('lobby'))).toEqual({ ...before, series: expect.any(Array) });
    expect((await roomView(room('crowd'))).total.messages).toBe(1000);
  });

  it('a crash after the Redis write and before the Kafka commit does not count twice', async () => {
    await (analytics as RunningAnalytics).close();
    const crashed = room('crashed');
    const [meta] = await sendMessages(Array.from({ length: 20 }, () => message(crashed, 'zed')));
    if (!meta) throw new Error('the producer acknowledged no partition');
    const base = Number(meta.baseOffset);
    const last = base + 19;
    // A member that writes Redis like the service, then dies without ever committing to Kafka.
    const aggregator = new BatchAggregator(new RedisAggregateStore(redis, keys), {
      keys,
      groupId: config.ANALYTICS_GROUP_ID,
      windows: { secondsKeptMs: config.ANALYTICS_SECONDS_KEPT_MS, minutesKeptMs: config.ANALYTICS_MINUTES_KEPT_MS },
    });
    const doomed = kafka.consumer({ groupId: messagesGroup, allowAutoTopicCreation: false, sessionTimeout: 10_000 });
    let reached = false;
    await doomed.connect();
    await doomed.subscribe({ topics: [TOPIC] });
    await doomed.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch }) => {
        await aggregator.process({ topic: batch.topic, partition: batch.partition, groupId: messagesGroup }, batch.messages);
        if (batch.partition === meta.partition && Number(batch.lastOffset()) >= last) reached = true;
      },
    });
    await eventually(async () => reached, (r) => r, 30_000);
    await doomed.disconnect();
    const committed = (await harness.admin.fetchOffsets({ groupId: messagesGroup, topics: [TOPIC] })).find((t) => t.topic === TOPIC)?.partitions.find((p) => p.partition === meta.partition);
    expect(Number(committed?.offset ?? -1)).toBeLessThanOrEqual(base);
    expect((await redis.hget(keys.roomTotals(crashed), 'messages'))).toBe('20');

    analytics = await startAnalytics(config);
    await eventually(() => skipped(analytics as RunningAnalytics), (n) => n >= 20);
    expect((await roomView(crashed)).total.messages).toBe(20);
  });

  it('windows roll over: a record lands in the buckets of its own time, which expire with it', async () => {
    const late = room('late');
    const now = Date.now();
    await sendMessages([message(late, 'old', new Date(now - 6 * 60_000)), message(late, 'older', new Date(now - 25 * 3_600_000)), message(late, 'new')]);
    const view = await eventually(() => roomView(late), (v) => v.total.messages >= 3);
    expect(view).toMatchObject({ total: { messages: 3 }, messages: { last1m: 1, last5m: 1, last60m: 2 } });
    const second = await redis.pttl(keys.roomSecond(Math.floor(now / 1000), late));
    expect(second).toBeGreaterThan(config.ANALYTICS_SECONDS_KEPT_MS - 5000);
    expect(second).toBeLessThanOrEqual(config.ANALYTICS_SECONDS_KEPT_MS + 1000);
    expect(await redis.pttl(keys.roomMinute(Math.floor(now / 60_000), late))).toBeGreaterThan(config.ANALYTICS_MINUTES_KEPT_MS - 5000);
    expect(await redis.exists(keys.roomMinute(Math.floor((now - 25 * 3_600_000) / 60_000), late))).toBe(0);
  });

  it('counts typing signals, read receipts and users online', async () => {
    const chatter = room('chatter');
    await produce(harness.producer, ChatSignalsTopic, [typingSignal(chatter), typingSignal(chatter, 'bob'), receiptSignal(chatter)], { acks: -1 });
    const [ann, ben] = [`it-${RUN}-ann`, `it-${RUN}-ben`];
    const at = new Date().toISOString();
    await produce(harness.producer, PresenceChangesTopic, [presenceChange(ann, 'online', at), presenceChange(ben, 'online', at), presenceChange(ben, 'offline', at)], { acks: -1 });
    await eventually(() => redis.hgetall(keys.roomTotals(chatter)), (h) => h['typing'] === '2' && h['receipts'] === '1');
    await eventually(async () => [await redis.sismember(keys.online(), ann), await redis.sismember(keys.online(), ben)], ([a, b]) => a === 1 && b === 0);
  });

  it("a service's error record on ops.logs.v1 appears in the errors of the last 5 minutes", async () => {
    const service = `it-${RUN}`;
    const time = new Date().toISOString();
    const records = [opsLog({ service, time }), opsLog({ service, time }), opsLog({ service, time, level: 'warn', message: 'slow' })];
    await produce(harness.producer, OpsLogsTopic, records, { acks: -1 });
    const app = analytics as RunningAnalytics;
    const errors = await eventually(async () => (await app.get<ErrorsView>('/analytics/errors?window=5m')).body, (e) => e.services[service]?.total === 3);
    expect(errors.services[service]).toEqual({ error: 2, warn: 1, fatal: 0, total: 3 });
    expect(errors.topMessages).toContainEqual({ service, level: 'error', message: 'produce failed', count: 2 });
    expect((await app.get<SummaryView>('/analytics/summary')).body.errors5m[service]).toMatchObject({ error: 2 });
  });

  it('answers 400 with the reason for a bad window or room id, and zeros for a room never seen', async () => {
    const app = analytics as RunningAnalytics;
    const badWindow = await app.get<{ message: string }>('/analytics/errors?window=5d');
    expect([badWindow.status, badWindow.body.message]).toEqual([400, expect.stringMatching(/window/)]);
    const badRoom = await app.get<{ message: string }>(`/analytics/rooms/${encodeURIComponent('Bad Room')}`);
    expect([badRoom.status, badRoom.body.message]).toEqual([400, expect.stringMatching(/room id/)]);
    expect(await roomView(room('never'))).toMatchObject({ total: { messages: 0, bytes: 0 }, messages: { last1m: 0, last5m: 0, last60m: 0 } });
  });
});
