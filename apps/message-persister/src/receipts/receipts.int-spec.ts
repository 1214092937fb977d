import type { Producer } from 'kafkajs';
import { ChatSignal, ChatSignalsTopic, dlqName, encodeRecord } from '@chat/contracts';
import { message, receiptSignal, typingSignal } from '../testing/fixtures';
import { eventually, testKafka, uniqueGroup, uniqueRoom } from '../testing/infra';
import { RunningPersister, startPersister } from '../testing/persister-app';
import { TopicReader } from '@chat/kafka';
import { HistoryRequester, replyBody } from '../testing/history-requester';
import { removeRooms } from '../testing/cleanup';
import { PersisterMetrics } from '../health/persister-metrics';
import { MessageRepository } from '../storage/message.repository';
import { ReadPositionRepository, ReadState } from '../storage/read-position.repository';

describe('read receipts end to end (chat.signals → PostgreSQL, DLQ, read-state over Kafka)', () => {
  const kafka = testKafka();
  // Its own group: a dev instance in the production group cannot take the test's partitions.
  const receiptsGroup = uniqueGroup('receipts');
  let persister: RunningPersister;
  let positions: ReadPositionRepository;
  let producer: Producer;
  let dlq: TopicReader;
  let requester: HistoryRequester;
  const rooms: string[] = [];
  const room = (label: string) => {
    const roomId = uniqueRoom(label);
    rooms.push(roomId);
    return roomId;
  };

  async function start(): Promise<void> {
    persister = await startPersister({ consumerGroups: { receipts: receiptsGroup } });
    positions = persister.app.get(ReadPositionRepository);
  }

  beforeAll(async () => {
    await start();
    producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
    await producer.connect();
    dlq = await new TopicReader(kafka, dlqName(ChatSignalsTopic), { fromBeginning: true }).start();
    requester = await new HistoryRequester(kafka).start();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await dlq?.stop();
    await requester?.stop();
    if (persister) await removeRooms(persister.app, rooms);
    await persister?.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([receiptsGroup]).catch(() => undefined);
    await admin.disconnect();
  });

  /** Produces in one request, keyed by room: the records keep their order on one partition. */
  async function send(roomId: string, signals: (ChatSignal | string)[]): Promise<{ partition: number; base: number }> {
    const [meta] = await producer.send({
      topic: ChatSignalsTopic.name,
      acks: -1,
      messages: signals.map((signal) => ({
        key: roomId,
        value: typeof signal === 'string' ? signal : encodeRecord(ChatSignalsTopic, signal).value,
      })),
    });
    if (!meta) throw new Error('the producer acknowledged no partition');
    return { partition: meta.partition, base: Number(meta.baseOffset) };
  }

  const readOffset = async (roomId: string, userId: string) => (await positions.readState(roomId, userId)).readOffset;
  const until = (roomId: string, userId: string, offset: number, timeoutMs?: number) =>
    eventually(
      () => readOffset(roomId, userId),
      (value) => value === offset,
      timeoutMs,
    );

  it('persists receipts, keeps the furthest of a batch and never moves a position backwards', async () => {
    const roomId = room('receipts');
    await send(roomId, [receiptSignal(roomId, 'alice', 10)]);
    await until(roomId, 'alice', 10);

    // bob's receipt comes after alice's 5 on the same partition: once it is stored, the 5 was applied.
    await send(roomId, [receiptSignal(roomId, 'alice', 5)]);
    await send(roomId, [receiptSignal(roomId, 'carol', 3), receiptSignal(roomId, 'carol', 9), receiptSignal(roomId, 'carol', 4)]);
    await send(roomId, [receiptSignal(roomId, 'bob', 1)]);
    await until(roomId, 'bob', 1);
    expect(await readOffset(roomId, 'alice')).toBe(10);
    expect(await readOffset(roomId, 'carol')).toBe(9);
  });

  it('ignores typing and dead-letters invalid signals, without holding up the valid receipts beside them', async () => {
    const roomId = room('signals');
    const negative = JSON.stringify({ ...receiptSignal(roomId, 'erin', 1), offset: -1 });
    const unknownType = JSON.stringify({ ...receiptSignal(roomId, 'erin', 1), type: 'seen' });
    const { partition, base } = await send(roomId, [
      typingSignal(roomId, 'dave'),
      'not json',
      negative,
      unknownType,
      receiptSignal(roomId, 'erin', 4),
    ]);
    await until(roomId, 'erin', 4);
    expect(await readOffset(roomId, 'dave')).toBeNull();

    for (const [offset, value] of [
      [base + 1, 'not json'],
      [base + 2, negative],
      [base + 3, unknownType],
    ] as const) {
      const letter = await dlq.waitFor(
        (r) =>
          r.headers['kafka_dlt-original-offset'] === String(offset) &&
          r.message.key?.toString() === roomId &&
          r.headers['kafka_dlt-original-consumer-group'] === receiptsGroup,
      );
      expect(letter.message.value?.toString()).toBe(value);
      expect(letter.headers).toMatchObject({
        'kafka_dlt-original-topic': ChatSignalsTopic.name,
        'kafka_dlt-original-partition': String(partition),
        'kafka_dlt-reason': 'invalid',
        'kafka_dlt-exception-message': expect.any(String),
      });
    }
    // The typing signal and the valid receipt never reach the DLQ (a dev instance in the production group may add its own copies).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const letters = dlq.records.filter(
      (r) => r.message.key?.toString() === roomId && r.headers['kafka_dlt-original-consumer-group'] === receiptsGroup,
    );
    expect(letters.map((r) => r.headers['kafka_dlt-original-offset']).sort()).toEqual([base + 1, base + 2, base + 3].map(String).sort());

    const metrics = await (await fetch(`${persister.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/persister_signals_dead_lettered_total [1-9]/);
    expect(metrics).toMatch(/persister_signals_consumed_total\{type="typing"\} [1-9]/);
    expect(metrics).toMatch(/persister_read_positions_advanced_total [1-9]/);
  });

  it('redelivers a batch whose write failed: offsets are committed only after the write', async () => {
    const metrics = persister.app.get(PersisterMetrics);
    const failures = async () => (await metrics.batchFailures.get()).values.find((v) => v.labels.consumer === 'receipts')?.value ?? 0;
    const failuresBefore = await failures();
    const advance = jest.spyOn(positions, 'advance').mockRejectedValueOnce(new Error('injected PostgreSQL failure'));
    try {
      const roomId = room('retry');
      await send(roomId, [receiptSignal(roomId, 'alice', 7)]);
      await until(roomId, 'alice', 7, 45_000);
      expect(await failures()).toBeGreaterThan(failuresBefore);
    } finally {
      advance.mockRestore();
    }
  });

  it('answers read-state over Kafka request/reply with readOffset and unread', async () => {
    const roomId = room('read-state');
    await persister.app.get(MessageRepository).insertBatch([0, 1, 2, 3, 4, 5].map((offset) => message(offset, { roomId })));
    await send(roomId, [receiptSignal(roomId, 'alice', 3)]);
    await until(roomId, 'alice', 3);

    const readState = async (body: unknown) => replyBody(await requester.request(roomId, body));
    expect(await readState({ mode: 'read-state', roomId, userId: 'alice' })).toEqual({ ok: true, readOffset: 3, unread: 2 });
    expect(await readState({ mode: 'read-state', roomId, userId: 'bob' })).toEqual({ ok: true, readOffset: null, unread: 6 });
    const empty = room('read-state-empty');
    expect(await readState({ mode: 'read-state', roomId: empty, userId: 'alice' })).toEqual({ ok: true, readOffset: null, unread: 0 });
    expect(await readState({ mode: 'read-state', roomId, userId: 'not a user' })).toEqual({
      ok: false,
      error: expect.stringMatching(/invalid history request: .*userId/s),
      retryable: false,
    });
  });

  it('keeps positions across a restart and resumes from its committed offsets', async () => {
    const roomId = room('restart');
    const { partition, base } = await send(roomId, [receiptSignal(roomId, 'alice', 10)]);
    await until(roomId, 'alice', 10);
    await persister.close();

    // The stopped consumer committed past the receipt it wrote: a restart resumes after it.
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId: receiptsGroup, topics: [ChatSignalsTopic.name] });
      const offset = committed?.partitions.find((p) => p.partition === partition)?.offset;
      expect(Number(offset)).toBeGreaterThan(base);
    } finally {
      await admin.disconnect();
    }

    await start();
    const before: ReadState = await positions.readState(roomId, 'alice');
    expect(before).toEqual({ readOffset: 10, unread: 0 });
    await send(roomId, [receiptSignal(roomId, 'alice', 5), receiptSignal(roomId, 'bob', 2)]);
    await until(roomId, 'bob', 2, 45_000);
    expect(await readOffset(roomId, 'alice')).toBe(10);
  }, 120_000);
});
