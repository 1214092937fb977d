import { Producer, ProducerRecord, RecordMetadata } from 'kafkajs';
import { ChatMessageRecord, ErrorCode } from '@chat/contracts';
import { MessagePublisher } from './message-publisher';

/** A fake producer (unit test): appends to in-memory partitions and answers like Kafka does. */
class FakeProducer {
  readonly partitions = new Map<number, string[]>();
  readonly requests: ProducerRecord[] = [];
  fail = false;

  send = jest.fn(async (record: ProducerRecord): Promise<RecordMetadata[]> => {
    this.requests.push(record);
    if (this.fail) throw new Error('broker down');
    const base = new Map<number, number>();
    for (const m of record.messages) {
      const log = this.partitions.get(m.partition as number) ?? [];
      this.partitions.set(m.partition as number, log);
      if (!base.has(m.partition as number)) base.set(m.partition as number, log.length);
      log.push(String(m.value));
    }
    return [...base].map(([partition, baseOffset]) => ({ topicName: record.topic, partition, errorCode: 0, baseOffset: String(baseOffset) }));
  });
  connect = jest.fn(async () => undefined);
  disconnect = jest.fn(async () => undefined);
}

async function connected(publisher: MessagePublisher, partitions: number): Promise<MessagePublisher> {
  await publisher.connect(partitions);
  return publisher;
}

const record = (roomId: string, i: number): ChatMessageRecord => ({
  messageId: `m-${roomId}-${i}`,
  roomId,
  senderId: 'alice',
  body: `body ${i}`,
  clientMsgId: `c-${i}`,
  sentAt: new Date(0).toISOString(),
});

describe('MessagePublisher', () => {
  const later = () => Date.now() + 5000;

  it('replaces a producer whose sequence state the broker refuses, so the next sends go through', async () => {
    const broken = new FakeProducer();
    broken.send.mockRejectedValue(Object.assign(new Error('retries exceeded'), { originalError: { type: 'OUT_OF_ORDER_SEQUENCE_NUMBER' } }));
    const fresh = new FakeProducer();
    const producers = [broken, fresh];
    const publisher = await connected(new MessagePublisher(() => producers.shift() as unknown as Producer, 1000), 3);
    await expect(publisher.publish(record('alpha', 0), later())).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    expect(broken.disconnect).toHaveBeenCalled();
    await expect(publisher.publish(record('alpha', 1), later())).resolves.toBe(0);
    expect(fresh.connect).toHaveBeenCalled();
  });

  it('keeps its producer through plain connection errors', async () => {
    const producer = new FakeProducer();
    producer.fail = true;
    const create = jest.fn(() => producer as unknown as Producer);
    const publisher = await connected(new MessagePublisher(create, 1000), 3);
    await expect(publisher.publish(record('alpha', 0), later())).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('refuses sends with UNAVAILABLE until connected (the gateway starts while Kafka is down)', async () => {
    const publisher = new MessagePublisher(() => new FakeProducer() as unknown as Producer, 1000);
    await expect(publisher.publish(record('alpha', 0), later())).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
  });

  it('gives each message the offset Kafka stored it at, across partitions and batches', async () => {
    const producer = new FakeProducer();
    const publisher = await connected(new MessagePublisher(() => producer as unknown as Producer, 1000), 12);
    const rooms = ['alpha', 'beta', 'gamma', 'delta'];
    const sends = rooms.flatMap((room) => Array.from({ length: 25 }, (_, i) => ({ room, i, offset: publisher.publish(record(room, i), later()) })));
    const acked = await Promise.all(sends.map(async (s) => ({ ...s, offset: await s.offset })));

    acked.forEach((s) => {
      const stored = JSON.parse(findIn(producer, s.room, s.offset));
      expect(stored.messageId).toBe(`m-${s.room}-${s.i}`);
    });
    // Everything queued behind the first request went out in one more request, not 99.
    expect(producer.requests.length).toBeLessThanOrEqual(2);
  });

  it('with a linger, sends arriving within it share one Produce request', async () => {
    const producer = new FakeProducer();
    const publisher = await connected(new MessagePublisher(() => producer as unknown as Producer, 1000, 30), 12);
    const first = publisher.publish(record('alpha', 0), later());
    // Arrives 10 ms later, in another event-loop turn, still inside the 30 ms linger.
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = publisher.publish(record('beta', 1), later());
    await Promise.all([first, second]);
    expect(producer.requests).toHaveLength(1);
    expect(producer.requests[0]?.messages).toHaveLength(2);
  });

  it('without a linger, a send in a later event-loop turn goes in its own request', async () => {
    const producer = new FakeProducer();
    const publisher = await connected(new MessagePublisher(() => producer as unknown as Producer, 1000, 0), 12);
    await publisher.publish(record('alpha', 0), later());
    await publisher.publish(record('beta', 1), later());
    expect(producer.requests).toHaveLength(2);
  });

  it('keeps a room on one partition, so its offsets strictly increase', async () => {
    const producer = new FakeProducer();
    const publisher = await connected(new MessagePublisher(() => producer as unknown as Producer, 1000), 12);
    const offsets = await Promise.all(Array.from({ length: 50 }, (_, i) => publisher.publish(record('general', i), later())));
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(new Set(offsets).size).toBe(50);
    expect(new Set(producer.requests.flatMap((r) => r.messages.map((m) => m.partition))).size).toBe(1);
  });

  it('answers UNAVAILABLE when Kafka fails, and works again afterwards', async () => {
    const producer = new FakeProducer();
    const publisher = await connected(new MessagePublisher(() => producer as unknown as Producer, 1000), 3);
    producer.fail = true;
    await expect(publisher.publish(record('general', 1), later())).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    producer.fail = false;
    await expect(publisher.publish(record('general', 2), later())).resolves.toBe(0);
  });

  it('does not produce a send whose deadline has passed', async () => {
    const producer = new FakeProducer();
    const publisher = await connected(new MessagePublisher(() => producer as unknown as Producer, 1000), 3);
    await expect(publisher.publish(record('general', 1), Date.now() - 1)).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    expect(producer.send).not.toHaveBeenCalled();
  });

  it('refuses sends beyond the queue limit and after close', async () => {
    const producer = new FakeProducer();
    const publisher = await connected(new MessagePublisher(() => producer as unknown as Producer, 2), 3);
    const queued = [publisher.publish(record('general', 1), later()), publisher.publish(record('general', 2), later())];
    const refused = publisher.publish(record('general', 3), later());
    await expect(refused).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    await expect(Promise.all(queued)).resolves.toEqual([0, 1]);
    await publisher.close();
    expect(producer.disconnect).toHaveBeenCalled();
    await expect(publisher.publish(record('general', 3), later())).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
  });
});

function findIn(producer: FakeProducer, roomId: string, offset: number): string {
  for (const log of producer.partitions.values()) {
    const value = log[offset];
    if (value && JSON.parse(value).roomId === roomId) return value;
  }
  throw new Error(`no message of ${roomId} at offset ${offset}`);
}
