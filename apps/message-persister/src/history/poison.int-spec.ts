import { randomUUID } from 'node:crypto';
import type { Admin, Producer } from 'kafkajs';
import { DeadLetterHeaders, dlqName, HistoryRepliesTopic, HistoryRequestsTopic, ReplyHeaders } from '@chat/contracts';
import { TopicReader } from '@chat/kafka';
import { eventually, testKafka, uniqueRoom } from '../testing/infra';
import { RunningPersister, startPersister } from '../testing/persister-app';
import { DEFAULT_CONSUMER_GROUPS } from '../consuming/consumer-groups';

const HISTORY_GROUP_ID = DEFAULT_CONSUMER_GROUPS.history;

/**
 * Requests that cannot be answered (no correlation id) or break the contract go to
 * history.requests.v1.dlq, and the partition moves on to the good requests after them.
 */
describe('history server: poison requests go to history.requests.v1.dlq (real Kafka, PostgreSQL)', () => {
  const kafka = testKafka();
  const roomId = uniqueRoom('history-poison');
  let persister: RunningPersister;
  let producer: Producer;
  let admin: Admin;
  let replies: TopicReader;
  let dlq: TopicReader;

  beforeAll(async () => {
    persister = await startPersister();
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    admin = kafka.admin();
    await admin.connect();
    replies = await new TopicReader(kafka, HistoryRepliesTopic.name).start();
    dlq = await new TopicReader(kafka, dlqName(HistoryRequestsTopic)).start();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await replies?.stop();
    await dlq?.stop();
    await admin?.disconnect();
    await persister?.close();
  });

  const request = (correlationId: string | null, value: string) => ({
    key: roomId,
    value,
    partition: 0,
    headers: { ...(correlationId ? { [ReplyHeaders.CorrelationId]: correlationId } : {}), [ReplyHeaders.ReplyTopic]: HistoryRepliesTopic.name },
  });

  it('answers the good requests around them and dead-letters the poison with the reason', async () => {
    const latest = JSON.stringify({ mode: 'latest', roomId, limit: 5 });
    const [first, invalid, last] = [randomUUID(), randomUUID(), randomUUID()];
    const unanswerable = JSON.stringify({ mode: 'latest', roomId, limit: 1, marker: randomUUID() });
    const breaksContract = JSON.stringify({ mode: 'latest', roomId, limit: 100_000 });
    const [meta] = await producer.send({
      topic: HistoryRequestsTopic.name,
      acks: -1,
      messages: [request(first, latest), request(null, unanswerable), request(invalid, breaksContract), request(last, latest)],
    });
    if (!meta) throw new Error('the producer acknowledged no partition');
    const base = Number(meta.baseOffset);
    for (const id of [first, last]) {
      const reply = await replies.waitFor((r) => r.headers[ReplyHeaders.CorrelationId] === id);
      expect(JSON.parse(String(reply.message.value))).toEqual({ ok: true, messages: [], hasMore: false });
    }
    const refused = await replies.waitFor((r) => r.headers[ReplyHeaders.CorrelationId] === invalid);
    expect(JSON.parse(String(refused.message.value))).toMatchObject({ ok: false, retryable: false });

    const fromHere = (offset: number) => (r: { headers: Record<string, string> }) =>
      r.headers[DeadLetterHeaders.OriginalOffset] === String(offset) && r.headers[DeadLetterHeaders.OriginalPartition] === '0';
    const dropped = await dlq.waitFor(fromHere(base + 1));
    expect(dropped.message.value?.toString()).toBe(unanswerable);
    expect(dropped.message.key?.toString()).toBe(roomId);
    expect(dropped.headers).toMatchObject({
      [DeadLetterHeaders.Reason]: 'invalid',
      [DeadLetterHeaders.ExceptionMessage]: expect.stringMatching(/kafka_correlationId/),
      [DeadLetterHeaders.OriginalTopic]: HistoryRequestsTopic.name,
      [DeadLetterHeaders.OriginalConsumerGroup]: HISTORY_GROUP_ID,
    });
    const contract = await dlq.waitFor(fromHere(base + 2));
    expect(contract.message.value?.toString()).toBe(breaksContract);
    expect(contract.headers).toMatchObject({ [DeadLetterHeaders.Reason]: 'invalid', [DeadLetterHeaders.ExceptionMessage]: expect.stringMatching(/limit/) });

    const committed = async () => {
      const [topic] = await admin.fetchOffsets({ groupId: HISTORY_GROUP_ID, topics: [HistoryRequestsTopic.name] });
      if (!topic) return -1;
      return Number(topic.partitions.find((p) => p.partition === 0)?.offset ?? -1);
    };
    expect(await eventually(committed, (offset) => offset >= base + 4)).toBeGreaterThanOrEqual(base + 4);
  });
});
