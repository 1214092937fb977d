import type { Admin, Producer } from 'kafkajs';
import { ChatMessagesTopic, DeadLetterHeaders, dlqName, encodeRecord, RedisKeys, toMessage } from '@chat/contracts';
import { produce, TopicReader } from '@chat/kafka';
import { REDIS, Redis } from '@chat/redis';
import { RecentHistoryCache } from '../cache/recent-history.cache';
import { MessageRepository } from '../storage/message.repository';
import { PostgresReadinessCheck } from '../storage/postgres-readiness.check';
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
  const outage = uniqueRoom('poison-outage');
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
    if (persister) await removeRooms(persister.app, [good, cursed, outage]);
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
    const [meta] = await produce(producer, ChatMessagesTopic, [before, poison, after], { acks: -1, routes: [{ partition: 0 }, { partition: 0 }, { partition: 0 }] });
    if (!meta) throw new Error('the producer acknowledged no partition');
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
      if (!topic) return -1;
      return Number(topic.partitions.find((p) => p.partition === 0)?.offset ?? -1);
    };
    expect(await eventually(committed, (offset) => offset >= base + 3)).toBeGreaterThanOrEqual(base + 3);
  });

  it.each([
    ['an outage error (connection refused)', () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), true],
    ['an unknown error while PostgreSQL does not answer its health check', () => new TypeError('injected'), false],
  ])('waits out %s instead of dead-lettering the good record', async (_label, failure, checkAnswers) => {
    const repository = persister.app.get(MessageRepository);
    const insert = repository.insertBatch.bind(repository);
    const roomId = `${outage}-${checkAnswers ? 'a' : 'b'}`;
    let down = true;
    const insertSpy = jest.spyOn(repository, 'insertBatch').mockImplementation(async (messages) => {
      if (down && messages.some((m) => m.roomId === roomId)) throw failure();
      return insert(messages);
    });
    const check = persister.app.get(PostgresReadinessCheck);
    const checkSpy = jest.spyOn(check, 'check').mockImplementation(async () => {
      if (down && !checkAnswers) throw new Error('injected: PostgreSQL does not answer');
    });
    try {
      const record = chatRecord({ roomId });
      const [meta] = await produce(producer, ChatMessagesTopic, [record], { acks: -1, routes: [{ partition: 0 }] });
      if (!meta) throw new Error('the producer acknowledged no partition');
      // Longer than the whole retry budget (about 1.4 s of backoff) and the isolation pass.
      await new Promise((resolve) => setTimeout(resolve, 4000));
      expect(dlq.records.filter((r) => r.message.key?.toString() === roomId)).toEqual([]);
      down = false;
      const stored = await eventually(() => repository.latest(roomId, 10), (page) => page.messages.length > 0, 45_000);
      expect(stored.messages).toEqual([toMessage(record, Number(meta.baseOffset))]);
      expect(dlq.records.filter((r) => r.message.key?.toString() === roomId)).toEqual([]);
    } finally {
      insertSpy.mockRestore();
      checkSpy.mockRestore();
    }
  }, 90_000);
});
