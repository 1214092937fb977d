import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Kafka, KafkaMessage, logLevel, ISocketFactory } from 'kafkajs';
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

/** Counts the OffsetCommit requests (API key 8) a client writes: kafkajs writes each request as one buffer. */
function countingCommits(): { socketFactory: ISocketFactory; commits: () => number } {
  let commits = 0;
  const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket = net.connect({ host, port }, onConnect);
    const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (Buffer.isBuffer(chunk) && chunk.length >= 6 && chunk.readInt16BE(4) === 8) commits++;
      return write(chunk, ...rest);
    }) as typeof socket.write;
    return socket;
  };
  return { socketFactory, commits: () => commits };
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

  it('commits what it emitted about once a second while records flow, not after every batch', async () => {
    const counter = countingCommits();
    const counted = new Kafka({ clientId: 'gateway-fanout-it-commits', brokers, logLevel: logLevel.NOTHING, socketFactory: counter.socketFactory });
    const handler = new RecordingHandler(topic);
    const groupId = `it-fanout-${randomUUID()}`;
    const fanout = new FanoutConsumer(counted, groupId, [handler], logger, () => true);
    await fanout.start();
    try {
      const before = counter.commits(); // commitCurrentEnds' own commit
      const startedAt = Date.now();
      const values = Array.from({ length: 40 }, (_, i) => `paced-${i}`);
      for (const value of values) {
        await producer.send({ topic, messages: [{ key: value, value }] });
        await until(() => handler.values.includes(value)); // each record its own batch
      }
      const seconds = (Date.now() - startedAt) / 1000;
      const commits = counter.commits() - before;
      expect(commits).toBeGreaterThan(0);
      expect(commits).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
      expect(commits).toBeLessThan(values.length / 2);
    } finally {
      await fanout.stop();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
  });
});
