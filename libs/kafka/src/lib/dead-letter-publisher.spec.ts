import type { Producer, ProducerRecord } from 'kafkajs';
import { DeadLetterPublisher } from './dead-letter-publisher';
import type { SourceRecord } from './source-record';

function fakeProducer() {
  const sent: ProducerRecord[] = [];
  let connects = 0;
  let release = (): void => undefined;
  const fake = {
    connect: () => {
      connects++;
      return new Promise<void>((resolve) => (release = resolve));
    },
    send: async (record: ProducerRecord) => {
      sent.push(record);
      return [];
    },
  };
  return {
    producer: fake as unknown as Producer,
    sent,
    connects: () => connects,
    release: () => release(),
  };
}

const source: SourceRecord = {
  key: Buffer.from('lobby'),
  value: Buffer.from('not json'),
  offset: '5',
  timestamp: '1',
  headers: {},
};
const from = {
  topic: 'chat.messages.v1',
  partition: 2,
  groupId: 'message-persister',
};

describe('DeadLetterPublisher', () => {
  it('sends every letter to the DLQ beside its source topic, with acks from all in-sync replicas', async () => {
    const { producer, sent } = fakeProducer();
    await new DeadLetterPublisher(producer).publish(
      [
        { source, error: 'record value is not JSON', reason: 'invalid' },
        {
          source: { ...source, offset: '6' },
          error: 'refused',
          reason: 'rejected',
        },
      ],
      from,
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]?.topic).toBe('chat.messages.v1.dlq');
    expect(sent[0]?.acks).toBe(-1);
    expect(
      sent[0]?.messages.map((m) => [
        m.value,
        m.headers?.['kafka_dlt-original-offset'],
        m.headers?.['kafka_dlt-reason'],
      ]),
    ).toEqual([
      [source.value, '5', 'invalid'],
      [source.value, '6', 'rejected'],
    ]);
  });

  it('sends nothing for no letters', async () => {
    const { producer, sent } = fakeProducer();
    await new DeadLetterPublisher(producer).publish([], from);
    expect(sent).toEqual([]);
  });

  it('shares one connect among consumers starting at once, and connects again after it settled', async () => {
    const fake = fakeProducer();
    const publisher = new DeadLetterPublisher(fake.producer);
    const first = publisher.connect();
    const second = publisher.connect();
    expect(fake.connects()).toBe(1);
    fake.release();
    await Promise.all([first, second]);
    const third = publisher.connect();
    expect(fake.connects()).toBe(2);
    fake.release();
    await third;
  });
});
