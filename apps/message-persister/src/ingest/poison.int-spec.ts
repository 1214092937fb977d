import type { Admin, Producer } from 'kafkajs';
import { ChatMessagesTopic, DeadLetterHeaders, dlqName, encodeRecord, RedisKeys, toMessage } from '@chat/contracts';
import { TopicReader } from '@chat/kafka';
import { REDIS, Redis } from '@chat/redis';
import { RecentHistoryCache } from '../cache/recent-history.cache';
import { MessageRepository } from '../storage/message.repository';
import { removeRooms } from '../testing/cleanup';
import { chatRecord } from '../testing/fixtures';
import { eventually, testKafka, uniqueGroup, uniqueRoom } from '../testing/infra';
import { RunningPersister, startPersister } from '../testing/persister-app';

/**
 * A valid record whose processing keeps failing on its own — its room's cache key holds the wrong
 * Redis type, so every cache update for that room fails — must not stall its partition.
 */
describe('ingest: a record that keeps failing goes to chat.messages.v1.dlq (real Kafka, PostgreSQL, Redis)', () => {
  const kafka = testKafka();
  const good = uniqueRoom('poison-good');
  const cursed = uniqueRoom('poison-cursed');
  // Its own group: a persister of another branch in the shared default group must not take partition 0.
  const group = uniqueGroup('poison-ingest');
  let persister: RunningPersister;
  let producer: Producer;
  let admin: Admin;
  let dlq: TopicReader;

  beforeAll(async () => {
    persister = await startPersister({ consumerGroups: { ingest: group } });
    producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
    await producer.connect();
    admin = kafka.admin();
    await admin.connect();
    dlq = await new TopicReader(kafka, dlqName(ChatMessagesTopic)).start();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await dlq?.stop();
    if (persister) await removeRooms(persister.app, [good, cursed]);
    await persister?.close();
    await admin?.deleteGroups([group]).catch(() => undefined);
    await admin?.disconnect();
  });

  it('stores the good records around it, dead-letters it with the reason and commits past it', async () => {
    await persister.app.get<Redis>(REDIS).set(RedisKeys.recentHistory(cursed), 'not a sorted set');
    const before = chatRecord({ roomId: good, clientMsgId: 'before' });
    const poison = chatRecord({ roomId: cursed });
    const after = chatRecord({ roomId: good, clientMsgId: 'after' });
    // One request, one partition: the poison record sits between the good ones.
    const [meta] = await producer.send({
      topic: ChatMessagesTopic.name,
      acks: -1,
      messages: [before, poison, after].map((record) => ({ ...encodeRecord(ChatMessagesTopic, record), partition: 0 })),
    });
    const base = Number(meta.baseOffset);
    const expected = [toMessage(before, base), toMessage(after, base + 2)];

    const cache = persister.app.get(RecentHistoryCache);
    expect(await eventually(() => cache.read(good), (messages) => messages.length >= 2)).toEqual(expected);
    expect((await persister.app.get(MessageRepository).latest(good, 10)).messages).toEqual(expected);

    const letter = await dlq.waitFor((r) => r.message.key?.toString() === cursed);
    expect(letter.message.value?.toString()).toBe(encodeRecord(ChatMessagesTopic, poison).value);
    expect(letter.headers).toMatchObject({
      [DeadLetterHeaders.Reason]: 'failed',
      [DeadLetterHeaders.ExceptionMessage]: expect.stringMatching(/WRONGTYPE/),
      [DeadLetterHeaders.ExceptionType]: 'Error',
      [DeadLetterHeaders.Attempts]: '5',
      [DeadLetterHeaders.OriginalTopic]: ChatMessagesTopic.name,
      [DeadLetterHeaders.OriginalPartition]: '0',
      [DeadLetterHeaders.OriginalOffset]: String(base + 1),
      [DeadLetterHeaders.OriginalConsumerGroup]: group,
      [DeadLetterHeaders.FailedAt]: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const committed = async () => {
      const [topic] = await admin.fetchOffsets({ groupId: group, topics: [ChatMessagesTopic.name] });
      return Number(topic.partitions.find((p) => p.partition === 0)?.offset ?? -1);
    };
    expect(await eventually(committed, (offset) => offset >= base + 3)).toBeGreaterThanOrEqual(base + 3);
  });
});
