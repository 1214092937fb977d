import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { createLogger } from '@chat/logging';
import { BatchConsumer } from './batch-consumer';
import { createKafka } from './kafka.module';
import { BATCHED_FETCH, LOW_LATENCY_FETCH, PacedFetchSettings } from './fetch-settings';

const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const logger = createLogger('kafka-int', 'error');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('BatchConsumer fetch pacing (real Kafka)', () => {
  let kafka: Kafka;
  const topic = `it.paced.${Date.now()}.${randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    kafka = createKafka({ clientId: 'kafka-lib-paced-int', brokers, logger });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    await admin.disconnect();
  });

  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  /** Writes `count` records ~10 ms apart while a consumer with `fetch` reads them; returns its batch sizes. */
  async function batchesFor(fetch: PacedFetchSettings, count: number): Promise<{ sizes: number[]; spanMs: number }> {
    const groupId = `it-paced-${randomUUID()}`;
    const sizes: number[] = [];
    const values: string[] = [];
    const consumer = new BatchConsumer(kafka, logger, {
      name: 'paced-it',
      groupId,
      topic,
      fromBeginning: false,
      partitionsConsumedConcurrently: 1,
      fetch,
      handle: async (_from, records) => {
        sizes.push(records.length);
        values.push(...records.map((r) => String(r.value)));
      },
    });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const joined = consumer.start();
    await joined;
    await sleep(1000); // the group's first fetch is in place before anything is written
    const run = randomUUID().slice(0, 6);
    const sent = Array.from({ length: count }, (_, i) => `${run}-${i}`);
    const startedAt = Date.now();
    let spanMs = 0;
    try {
      for (const value of sent) {
        await producer.send({ topic, messages: [{ value }] });
        await sleep(10);
      }
      const deadline = Date.now() + 30_000;
      while (values.length < count && Date.now() < deadline) await sleep(5);
      spanMs = Date.now() - startedAt;
    } finally {
      await producer.disconnect();
      await consumer.stop();
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    }
    expect(values).toEqual(sent);
    return { sizes, spanMs };
  }

  it('gathers a steady stream into about one batch per interval, where fetching on the first byte takes each record alone', async () => {
    const count = 60;
    const firstByte = await batchesFor(LOW_LATENCY_FETCH, count);
    const paced = await batchesFor(BATCHED_FETCH, count);
    // The control: this stream does make an unpaced consumer fetch per record or so.
    expect(firstByte.sizes.length).toBeGreaterThan(count / 3);
    // At most one fetch per 100 ms of the stream, plus the one already waiting when it began.
    expect(paced.sizes.length).toBeLessThanOrEqual(Math.ceil(paced.spanMs / BATCHED_FETCH.minIntervalMs!) + 1);
  });
});
