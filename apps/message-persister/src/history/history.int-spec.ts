import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { HistoryRepliesTopic, HistoryRequestsTopic, ReplyHeaders } from '@chat/contracts';
import { message } from '../testing/fixtures';
import { testKafka, uniqueRoom } from '../testing/infra';
import { RunningPersister, startPersister } from '../testing/persister-app';
import { ReadRecord, TopicReader } from '../testing/topic-reader';
import { MessageRepository } from '../storage/message.repository';
import { removeRooms } from '../testing/cleanup';

describe('history request/reply over Kafka (Nest ServerKafka)', () => {
  const kafka = testKafka();
  let persister: RunningPersister;
  let producer: Producer;
  let replies: TopicReader;
  const roomId = uniqueRoom('history');
  const stored = [0, 1, 2, 3, 4].map((offset) => message(offset, { roomId }));

  beforeAll(async () => {
    persister = await startPersister();
    await persister.app.get(MessageRepository).insertBatch(stored);
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    replies = await new TopicReader(kafka, HistoryRepliesTopic.name).start();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await replies?.stop();
    if (persister) await removeRooms(persister.app, [roomId]);
    await persister?.close();
  });

  /**
   * Sends like a gateway does. A brand-new history group starts at the latest offset once it
   * has joined, so the first request of a first-ever run may predate the join: resend until answered.
   */
  async function request(value: unknown, headers: Record<string, string> = {}): Promise<ReadRecord> {
    const deadline = Date.now() + 45_000;
    for (;;) {
      const correlationId = randomUUID();
      await producer.send({
        topic: HistoryRequestsTopic.name,
        messages: [
          {
            key: roomId,
            value: typeof value === 'string' ? value : JSON.stringify(value),
            headers: { [ReplyHeaders.CorrelationId]: correlationId, [ReplyHeaders.ReplyTopic]: HistoryRepliesTopic.name, ...headers },
          },
        ],
      });
      try {
        return await replies.waitFor((r) => r.headers[ReplyHeaders.CorrelationId] === correlationId, 3000);
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
  }

  const body = (reply: ReadRecord) => JSON.parse(reply.message.value?.toString() ?? 'null');

  it('answers latest, before and after with ascending messages and hasMore', async () => {
    const latest = await request({ mode: 'latest', roomId, limit: 3 });
    expect(body(latest)).toEqual({ ok: true, messages: stored.slice(2), hasMore: true });
    expect(latest.headers[ReplyHeaders.Error]).toBeUndefined();

    const before = await request({ mode: 'before', roomId, beforeOffset: 2, limit: 10 });
    expect(body(before)).toEqual({ ok: true, messages: stored.slice(0, 2), hasMore: false });

    const after = await request({ mode: 'after', roomId, afterOffset: 1, limit: 2 });
    expect(body(after)).toEqual({ ok: true, messages: stored.slice(2, 4), hasMore: true });
  });

  it('replies on the partition the requester asked for, else on any partition of the reply topic', async () => {
    for (const partition of [0, 4]) {
      const reply = await request({ mode: 'latest', roomId, limit: 1 }, { kafka_replyPartition: String(partition) });
      expect(reply.partition).toBe(partition);
      expect(body(reply)).toEqual({ ok: true, messages: stored.slice(4), hasMore: true });
    }
    const partitions = new Set<number>();
    for (let i = 0; i < 6; i++) partitions.add((await request({ mode: 'latest', roomId, limit: 1 })).partition);
    expect([...partitions].every((p) => p >= 0 && p < HistoryRepliesTopic.partitions)).toBe(true);
  });

  it('answers an invalid request with ok: false and the reason', async () => {
    expect(body(await request({ mode: 'latest', roomId, limit: 100_000 }))).toEqual({
      ok: false,
      error: expect.stringMatching(/invalid history request: .*limit/s),
      retryable: false,
    });
    expect(body(await request('not json at all'))).toEqual({ ok: false, error: expect.stringMatching(/not JSON/), retryable: false });
  });
});
