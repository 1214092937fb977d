import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { decodeRecord, OpsLogRecord, OpsLogsTopic } from '@chat/contracts';
import { closeOpsLogs, createLogger, opsLogRecordsDropped, OpsLogShipper } from '@chat/logging';
import { KafkaOpsLogSink } from './kafka-ops-log-sink';
import { createKafka } from './kafka.module';
import { ensureTopics } from './topics-admin';

const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const quiet = createLogger('kafka-int', 'silent');

/** The ops.logs.v1 records carrying this correlation id, read from the beginning by a throwaway group. */
async function readShipped(kafka: Kafka, correlationId: string, timeoutMs = 20_000): Promise<OpsLogRecord[]> {
  const groupId = `it-opslogs-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId });
  const found: OpsLogRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [OpsLogsTopic.name], fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          const decoded = decodeRecord(OpsLogsTopic, message.value);
          if (!decoded.ok) throw new Error(`ops.logs.v1 record breaks its contract: ${decoded.error}`);
          if (decoded.value.correlationId === correlationId) {
            found.push(decoded.value);
            resolve();
          }
        },
      });
    });
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  return found;
}

describe('KafkaOpsLogSink (real Kafka)', () => {
  let kafka: Kafka;

  beforeAll(async () => {
    kafka = createKafka({ clientId: 'kafka-lib-int', brokers, logger: quiet });
    await ensureTopics(kafka, [OpsLogsTopic], 1);
  });

  afterAll(() => closeOpsLogs());

  it('a service logger logging an error puts a record on ops.logs.v1 that decodes with the contract', async () => {
    const clientMsgId = randomUUID();
    const logger = createLogger('it-ops-logs', 'info', {
      instance: 'it-1',
      flushIntervalMs: 50,
      sink: (localLogger) => new KafkaOpsLogSink({ clientId: 'it-ops-logs', brokers, localLogger }),
    });
    logger.info({ clientMsgId }, 'info is not shipped');
    logger.error({ err: new RangeError('out of range'), clientMsgId }, 'send failed');
    await closeOpsLogs(10_000);

    const shipped = await readShipped(kafka, clientMsgId);
    expect(shipped).toEqual([
      expect.objectContaining({ service: 'it-ops-logs', instance: 'it-1', level: 'error', message: 'send failed', errorType: 'RangeError', correlationId: clientMsgId }),
    ]);
  });

  it('with Kafka unreachable logging neither blocks nor grows: the buffer stays bounded and the rest is counted dropped', async () => {
    opsLogRecordsDropped.reset();
    const notices: string[] = [];
    const shipper = new OpsLogShipper({
      origin: { service: 'it-ops-logs', instance: 'it-2' },
      // Nothing listens on port 1: every connect is refused and retried by kafkajs.
      sink: new KafkaOpsLogSink({ clientId: 'it-ops-logs-down', brokers: ['127.0.0.1:1'], localLogger: quiet }),
      notice: (_fields, message) => notices.push(message),
      maxBuffered: 200,
      batchSize: 50,
      flushIntervalMs: 10,
    });
    const line = (i: number) => JSON.stringify({ level: 50, time: Date.now(), msg: `kafka down ${i}` });

    // The event loop keeps ticking while the sink struggles: the largest gap between ticks stays small.
    let maxGap = 0;
    let last = Date.now();
    const ticker = setInterval(() => {
      maxGap = Math.max(maxGap, Date.now() - last);
      last = Date.now();
    }, 10);
    const started = Date.now();
    for (let round = 0; round < 30; round++) {
      for (let i = 0; i < 1000; i++) shipper.write(line(i));
      expect(shipper.buffered).toBeLessThanOrEqual(200);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    clearInterval(ticker);
    const writeSeconds = (Date.now() - started) / 1000;

    expect(shipper.buffered).toBeLessThanOrEqual(200);
    const dropped = (await opsLogRecordsDropped.get()).values.reduce((sum, v) => sum + v.value, 0);
    // 30,000 written; at most the buffer and the batches in flight are not yet counted.
    expect(dropped).toBeGreaterThanOrEqual(30_000 - 200 - 50 * 2);
    expect(maxGap).toBeLessThan(500);
    expect(writeSeconds).toBeLessThan(15);
    // Rate-limited: one notice (the default interval is 30 s) however many were dropped.
    expect(notices).toHaveLength(1);
    await shipper.close(100);
  });
});
