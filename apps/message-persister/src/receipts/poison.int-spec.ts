import type { Admin, Producer } from 'kafkajs';
import { ChatSignalsTopic, DeadLetterHeaders, dlqName, encodeRecord } from '@chat/contracts';
import { produce, TopicReader } from '@chat/kafka';
import { removeRooms } from '../testing/cleanup';
import { receiptSignal } from '../testing/fixtures';
import { eventually, testKafka, uniqueGroup, uniqueRoom } from '../testing/infra';
import { RunningPersister, startPersister } from '../testing/persister-app';
import { ReadPosition, ReadPositionRepository } from '../storage/read-position.repository';

/**
 * A valid receipt whose write throws every time (a fault injected into the store for one room,
 * PostgreSQL itself healthy) must not stall chat.signals.v1 for every room of its partition.
 */
describe('receipts: a receipt that keeps failing goes to chat.signals.v1.dlq (real Kafka, PostgreSQL)', () => {
  const kafka = testKafka();
  const group = uniqueGroup('poison-receipts');
  const good = uniqueRoom('receipt-good');
  const cursed = uniqueRoom('receipt-cursed');
  let persister: RunningPersister;
  let producer: Producer;
  let admin: Admin;
  let dlq: TopicReader;

  beforeAll(async () => {
    persister = await startPersister({ consumerGroups: { receipts: group } });
    const positions = persister.app.get(ReadPositionRepository);
    const advance = positions.advance.bind(positions);
    jest.spyOn(positions, 'advance').mockImplementation(async (batch: readonly ReadPosition[]) => {
      if (batch.some((p) => p.roomId === cursed)) throw new TypeError(`injected: cannot apply a receipt of ${cursed}`);
      return advance(batch);
    });
    producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
    await producer.connect();
    admin = kafka.admin();
    await admin.connect();
    dlq = await new TopicReader(kafka, dlqName(ChatSignalsTopic)).start();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await dlq?.stop();
    if (persister) await removeRooms(persister.app, [good, cursed]);
    await persister?.close();
    await admin?.deleteGroups([group]).catch(() => undefined);
    await admin?.disconnect();
  });

  it('applies the receipts around it, dead-letters it with the reason and commits past it', async () => {
    const cursedSignal = receiptSignal(cursed, 'alice', 5);
    const signals = [receiptSignal(good, 'alice', 3), cursedSignal, receiptSignal(good, 'bob', 7)];
    const [meta] = await produce(producer, ChatSignalsTopic, signals, { acks: -1, routes: signals.map(() => ({ partition: 0 })) });
    if (!meta) throw new Error('the producer acknowledged no partition');
    const base = Number(meta.baseOffset);
    const positions = persister.app.get(ReadPositionRepository);
    await eventually(() => positions.readState(good, 'bob'), (state) => state.readOffset === 7);
    expect((await positions.readState(good, 'alice')).readOffset).toBe(3);

    const letter = await dlq.waitFor((r) => r.message.key?.toString() === cursed);
    expect(letter.message.value?.toString()).toBe(encodeRecord(ChatSignalsTopic, cursedSignal).value);
    expect(letter.headers).toMatchObject({
      [DeadLetterHeaders.Reason]: 'failed',
      [DeadLetterHeaders.ExceptionMessage]: `injected: cannot apply a receipt of ${cursed}`,
      [DeadLetterHeaders.ExceptionType]: 'TypeError',
      [DeadLetterHeaders.OriginalTopic]: ChatSignalsTopic.name,
      [DeadLetterHeaders.OriginalPartition]: '0',
      [DeadLetterHeaders.OriginalOffset]: String(base + 1),
      [DeadLetterHeaders.OriginalConsumerGroup]: group,
    });

    const committed = async () => {
      const [topic] = await admin.fetchOffsets({ groupId: group, topics: [ChatSignalsTopic.name] });
      if (!topic) return -1;
      return Number(topic.partitions.find((p) => p.partition === 0)?.offset ?? -1);
    };
    expect(await eventually(committed, (offset) => offset >= base + 3)).toBeGreaterThanOrEqual(base + 3);
  });
});
