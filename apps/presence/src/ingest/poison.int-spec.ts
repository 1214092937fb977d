import type { Admin, Producer } from 'kafkajs';
import { DeadLetterHeaders, dlqName, encodeRecord, PresenceEvent, PresenceEventsTopic, RedisKeys } from '@chat/contracts';
import { deleteGroups, produce, TopicReader } from '@chat/kafka';
import { PresenceKeys } from '../state/keys';
import { PresenceEngine } from '../state/presence-engine';
import type { EventRecord } from '../state/planner';
import { ev } from '../testing/events';
import { eventually, RUN, testConfig, testKafka, testRedis } from '../testing/infra';
import { RunningPresence, startPresence } from '../testing/presence-app';

/**
 * A valid event whose application throws every time (a fault injected into the engine for one
 * user, Redis itself healthy) must not stall presence.events.v1 for every user of its partition.
 */
describe('presence: an event that keeps failing goes to presence.events.v1.dlq (real Kafka, Redis)', () => {
  const config = testConfig({ PRESENCE_GROUP_ID: `presence-it-poison-${RUN}` });
  const kafka = testKafka(config);
  const redis = testRedis(config);
  const gateway = `it-gw-${RUN}-poison`;
  const room = `it-${RUN}-poison-room`;
  const user = (label: string) => `it-${RUN}-poison-${label}`;
  const [first, cursed, last] = [user('first'), user('cursed'), user('last')] as const;
  let presence: RunningPresence | undefined;
  let producer: Producer;
  let admin: Admin;
  let dlq: TopicReader;

  beforeAll(async () => {
    presence = await startPresence(config);
    const engine = presence.app.get(PresenceEngine);
    const apply = engine.applyRecords.bind(engine);
    jest.spyOn(engine, 'applyRecords').mockImplementation(async (partition: number, records: readonly EventRecord[]) => {
      if (records.some((r) => 'userId' in r.event && r.event.userId === cursed)) throw new TypeError(`injected: cannot apply ${cursed}`);
      return apply(partition, records);
    });
    producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
    await producer.connect();
    admin = kafka.admin();
    await admin.connect();
    dlq = await new TopicReader(kafka, dlqName(PresenceEventsTopic)).start();
  });

  afterAll(async () => {
    if (producer) await produce(producer, PresenceEventsTopic, [ev.stopped(gateway, Date.now())], { acks: -1 });
    await eventually(() => redis.hlen(PresenceKeys.gatewayConns(gateway)), (n) => n === 0, 15_000).catch(() => undefined);
    await presence?.close();
    await producer?.disconnect();
    await dlq?.stop();
    await admin?.disconnect();
    const group = config.PRESENCE_GROUP_ID;
    await redis.del(PresenceKeys.applied(group), PresenceKeys.caughtUp(group), PresenceKeys.outbox(group), PresenceKeys.leader(group));
    await redis.quit();
    await deleteGroups(kafka, [group]).catch(() => undefined);
  });

  it('applies the events around it, dead-letters it with the reason and commits past it', async () => {
    const at = Date.now();
    const events: PresenceEvent[] = [first, cursed, last].flatMap((userId) => {
      const connection = { userId, gatewayId: gateway, connectionId: `${userId}-c1`, at };
      return [ev.opened(connection), ev.joined(connection, room)];
    });
    const [meta] = await produce(producer, PresenceEventsTopic, events, { acks: -1, routes: events.map(() => ({ partition: 0 })) });
    if (!meta) throw new Error('the producer acknowledged no partition');
    const base = Number(meta.baseOffset);
    const online = () => redis.smembers(RedisKeys.presenceRoomOnline(room)).then((members) => members.sort());
    expect(await eventually(online, (members) => members.length >= 2)).toEqual([first, last].sort());

    await dlq.waitFor((r) => r.message.key?.toString() === cursed && r.headers[DeadLetterHeaders.OriginalOffset] === String(base + 3));
    const letters = dlq.records.filter((r) => r.message.key?.toString() === cursed);
    expect(letters.map((r) => r.headers[DeadLetterHeaders.OriginalOffset])).toEqual([String(base + 2), String(base + 3)]);
    const [firstLetter] = letters;
    const [, , cursedOpened] = events;
    if (!firstLetter || !cursedOpened) throw new Error('no letter, or fewer events than were sent');
    expect(firstLetter.message.value?.toString()).toBe(encodeRecord(PresenceEventsTopic, cursedOpened).value);
    expect(firstLetter.headers).toMatchObject({
      [DeadLetterHeaders.Reason]: 'failed',
      [DeadLetterHeaders.ExceptionMessage]: `injected: cannot apply ${cursed}`,
      [DeadLetterHeaders.ExceptionType]: 'TypeError',
      [DeadLetterHeaders.OriginalTopic]: PresenceEventsTopic.name,
      [DeadLetterHeaders.OriginalPartition]: '0',
      [DeadLetterHeaders.OriginalConsumerGroup]: config.PRESENCE_GROUP_ID,
    });

    const committed = async () => {
      const [topic] = await admin.fetchOffsets({ groupId: config.PRESENCE_GROUP_ID, topics: [PresenceEventsTopic.name] });
      if (!topic) return -1;
      return Number(topic.partitions.find((p) => p.partition === 0)?.offset ?? -1);
    };
    expect(await eventually(committed, (offset) => offset >= base + 6)).toBeGreaterThanOrEqual(base + 6);
  });
});
