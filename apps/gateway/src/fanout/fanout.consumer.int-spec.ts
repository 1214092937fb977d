import { randomUUID } from 'node:crypto';
import { Kafka, KafkaMessage, logLevel } from 'kafkajs';
import pino from 'pino';
import { FanoutConsumer, FanoutHandler } from './fanout.consumer';

const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const kafka = new Kafka({ clientId: 'gateway-fanout-it', brokers, logLevel: logLevel.NOTHING });
const logger = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
const PARTITIONS = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class RecordingHandler implements FanoutHandler {
  readonly values: string[] = [];
  constructor(readonly topic: string) {}
  onRecords(_partition: number, records: readonly KafkaMessage[]): void {
    for (const record of records) this.values.push(String(record.value));
  }
}

async function until(done: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(50);
  }
}

describe('FanoutConsumer (real Kafka)', () => {
  const topic = `it.fanout.${Date.now()}.${randomUUID().slice(0, 6)}`;
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const admin = kafka.admin();

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }] });
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  const send = (values: string[]) =>
    producer.send({ topic, messages: values.map((value, i) => ({ partition: i % PARTITIONS, key: value, value })) });

  it('starts at the end, then after a rejoin emits everything written meanwhile, each record once', async () => {
    await send(['before-start']);
    const handler = new RecordingHandler(topic);
    const groupId = `it-fanout-${randomUUID()}`;
    const fanout = new FanoutConsumer(kafka, groupId, [handler], logger, () => true);
    await fanout.start();
    try {
      const live = Array.from({ length: 8 }, (_, i) => `live-${i}`);
      await send(live);
      await until(() => handler.values.length >= live.length);

      // Another member takes the group's partitions away (as a rejoin after a broker outage or a
      // session timeout does) and sits on them, consuming nothing, while records are written;
      // then it leaves and this gateway gets them back.
      const intruder = kafka.consumer({ groupId, maxWaitTimeInMs: 50 });
      await intruder.connect();
      await intruder.subscribe({ topics: [topic] });
      const intruderJoined = new Promise((resolve) => intruder.on(intruder.events.GROUP_JOIN, resolve));
      await intruder.run({ autoCommit: false, eachBatch: async () => intruder.pause([{ topic }]) });
      intruder.pause([{ topic }]);
      await intruderJoined;
      const meanwhile = Array.from({ length: 8 }, (_, i) => `meanwhile-${i}`);
      await send(meanwhile);
      await sleep(500);
      await intruder.disconnect();

      const after = Array.from({ length: 8 }, (_, i) => `after-${i}`);
      await send(after);
      const expected = [...live, ...meanwhile, ...after];
      await until(() => expected.every((v) => handler.values.includes(v)));
      await sleep(500); // room for a duplicate to show up
      expect(handler.values).not.toContain('before-start');
      expect([...handler.values].sort()).toEqual([...expected].sort());
    } finally {
      await fanout.stop();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
  });
});
