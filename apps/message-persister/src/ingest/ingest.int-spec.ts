import type { Producer } from 'kafkajs';
import { ChatMessagesTopic, dlqName, encodeRecord, toMessage } from '@chat/contracts';
import { chatRecord } from '../testing/fixtures';
import { eventually, testKafka, uniqueRoom } from '../testing/infra';
import { RunningPersister, startPersister } from '../testing/persister-app';
import { TopicReader } from '@chat/kafka';
import { removeRooms } from '../testing/cleanup';
import { RecentHistoryCache } from '../cache/recent-history.cache';
import { MessageRepository } from '../storage/message.repository';
import { PersisterMetrics } from '../health/persister-metrics';

describe('ingest end to end (Kafka → PostgreSQL, Redis, DLQ)', () => {
  const kafka = testKafka();
  let persister: RunningPersister;
  let producer: Producer;
  let dlq: TopicReader;
  let repository: MessageRepository;
  let cache: RecentHistoryCache;
  const rooms: string[] = [];
  const room = (label: string) => {
    const roomId = uniqueRoom(label);
    rooms.push(roomId);
    return roomId;
  };

  beforeAll(async () => {
    persister = await startPersister();
    repository = persister.app.get(MessageRepository);
    cache = persister.app.get(RecentHistoryCache);
    producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
    await producer.connect();
    dlq = await new TopicReader(kafka, dlqName(ChatMessagesTopic), { fromBeginning: true }).start();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await dlq?.stop();
    if (persister) await removeRooms(persister.app, rooms);
    await persister?.close();
  });

  /** Produces in one request so the records keep their order and sit on one partition. */
  async function produce(roomId: string, values: (string | null)[]): Promise<{ partition: number; base: number }> {
    const [meta] = await producer.send({
      topic: ChatMessagesTopic.name,
      acks: -1,
      messages: values.map((value) => ({ key: roomId, value })),
    });
    if (!meta) throw new Error('the producer acknowledged no partition');
    return { partition: meta.partition, base: Number(meta.baseOffset) };
  }

  it('stores valid records once, caches them and dead-letters the invalid ones', async () => {
    const roomId = room('ingest');
    const a = chatRecord({ roomId, clientMsgId: 'a' });
    const b = chatRecord({ roomId, clientMsgId: 'b', senderId: 'bob' });
    const retriedSend = chatRecord({ roomId, clientMsgId: 'a' });
    const encode = (record: typeof a) => encodeRecord(ChatMessagesTopic, record).value;
    const invalid = JSON.stringify({ roomId, body: 'no ids' });
    const { partition, base } = await produce(roomId, [encode(a), invalid, encode(b), encode(a), encode(retriedSend), 'not json']);

    const expected = [toMessage(a, base), toMessage(b, base + 2)];
    const stored = await eventually(
      () => repository.latest(roomId, 10),
      (page) => page.messages.length >= 2,
    );
    expect(stored).toEqual({ messages: expected, hasMore: false });
    expect(await eventually(() => cache.read(roomId), (messages) => messages.length >= 2)).toEqual(expected);

    for (const [offset, value] of [
      [base + 1, invalid],
      [base + 5, 'not json'],
    ] as const) {
      const letter = await dlq.waitFor((r) => r.headers['kafka_dlt-original-offset'] === String(offset) && r.message.key?.toString() === roomId);
      expect(letter.message.value?.toString()).toBe(value);
      expect(letter.headers).toMatchObject({
        'kafka_dlt-original-topic': ChatMessagesTopic.name,
        'kafka_dlt-original-partition': String(partition),
        'kafka_dlt-reason': 'invalid',
        'kafka_dlt-exception-message': expect.any(String),
      });
    }
    // Give a late duplicate every chance to show up before asserting it never did.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await repository.latest(roomId, 10)).messages).toEqual(expected);
    expect(await cache.read(roomId)).toEqual(expected);
  });

  it('retries a batch whose cache update failed, without losing or duplicating it', async () => {
    const metrics = persister.app.get(PersisterMetrics);
    const failures = async () => (await metrics.batchFailures.get()).values.find((v) => v.labels.consumer === 'ingest')?.value ?? 0;
    const failuresBefore = await failures();
    const add = jest.spyOn(cache, 'add').mockRejectedValueOnce(new Error('injected Redis failure'));
    try {
      const roomId = room('retry');
      const record = chatRecord({ roomId });
      const { base } = await produce(roomId, [encodeRecord(ChatMessagesTopic, record).value]);
      const expected = [toMessage(record, base)];
      expect(await eventually(() => cache.read(roomId), (messages) => messages.length > 0, 45_000)).toEqual(expected);
      expect((await repository.latest(roomId, 10)).messages).toEqual(expected);
      expect(await failures()).toBeGreaterThan(failuresBefore);
    } finally {
      add.mockRestore();
    }
  });

  it('reports ready and exposes its counters', async () => {
    const ready = await fetch(`${persister.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { kafka: { status: 'up' }, redis: { status: 'up' }, postgres: { status: 'up' } },
    });
    const metrics = await (await fetch(`${persister.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/persister_messages_persisted_total \d+/);
    expect(metrics).toMatch(/persister_messages_dead_lettered_total\{reason="invalid"\} [1-9]/);
  });
});
