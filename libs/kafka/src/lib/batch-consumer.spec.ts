import type { EachBatchPayload, Kafka } from 'kafkajs';
import pino from 'pino';
import { BatchConsumer, BatchConsumerOptions } from './batch-consumer';
import { kafkaConsumerLag } from './consumer-lag';
import type { BatchSource, SourceRecord } from './source-record';
import type { DeadLetter } from './dead-letter';
import { classifyCommonError } from './failure-isolation';

const logger = pino({ level: 'silent' });

const rawRecord = (value: string, offset: number): SourceRecord => ({ key: null, value: Buffer.from(value), offset: String(offset), timestamp: '0' });

function payload(offsets: number[]) {
  const calls: string[] = [];
  const batch = { topic: 'chat.signals.v1', partition: 3, highWatermark: String(Math.max(0, ...offsets) + 5), messages: offsets.map((offset) => rawRecord('x', offset)) };
  const fake = {
    batch,
    resolveOffset: jest.fn((offset: string) => calls.push(`resolve ${offset}`)),
    commitOffsetsIfNecessary: jest.fn(async () => void calls.push('commit')),
    heartbeat: jest.fn(async () => void calls.push('heartbeat')),
  };
  return { fake, calls, asPayload: fake as unknown as EachBatchPayload };
}

describe('BatchConsumer.handleBatch', () => {
  const options = (handle: BatchConsumerOptions['handle'], onBatchFailure = jest.fn()): BatchConsumerOptions => ({
    name: 'receipts',
    groupId: 'group-1',
    topic: 'chat.signals.v1',
    fromBeginning: true,
    partitionsConsumedConcurrently: 1,
    handle,
    onBatchFailure,
  });

  it('exports the partition lag the handled batch left, per group', async () => {
    const { asPayload } = payload([7, 8, 9]);
    await new BatchConsumer({} as Kafka, logger, options(jest.fn(async () => undefined))).handleBatch(asPayload);
    const series = (await kafkaConsumerLag.get()).values.find((v) => v.labels.group === 'group-1');
    expect(series).toEqual(expect.objectContaining({ value: 4, labels: { group: 'group-1', topic: 'chat.signals.v1', partition: '3' } }));
  });

  it('resolves and commits the last offset only after the side effect is done', async () => {
    const { asPayload, calls } = payload([7, 8, 9]);
    const handle = jest.fn(async () => void calls.push('handled'));
    await new BatchConsumer({} as Kafka, logger, options(handle)).handleBatch(asPayload);
    expect(handle).toHaveBeenCalledWith({ topic: 'chat.signals.v1', partition: 3, groupId: 'group-1' }, asPayload.batch.messages);
    expect(calls).toEqual(['handled', 'resolve 9', 'commit', 'heartbeat']);
  });

  it('leaves the offsets unresolved and rethrows when the side effect fails, so the batch is redelivered', async () => {
    const { asPayload, fake } = payload([1, 2]);
    const onBatchFailure = jest.fn();
    const consumer = new BatchConsumer({} as Kafka, logger, options(() => Promise.reject(new Error('PostgreSQL down')), onBatchFailure));
    await expect(consumer.handleBatch(asPayload)).rejects.toThrow(/PostgreSQL down/);
    expect(fake.resolveOffset).not.toHaveBeenCalled();
    expect(fake.commitOffsetsIfNecessary).not.toHaveBeenCalled();
    expect(onBatchFailure).toHaveBeenCalledTimes(1);
  });

  it('does nothing for an empty batch', async () => {
    const { asPayload, calls } = payload([]);
    const handle = jest.fn();
    await new BatchConsumer({} as Kafka, logger, options(handle)).handleBatch(asPayload);
    expect(handle).not.toHaveBeenCalled();
    expect(calls).toEqual([]);
  });

  describe('with isolation', () => {
    const isolated = (handle: BatchConsumerOptions['handle'], healthy = true) => {
      const letters: DeadLetter[] = [];
      const consumer = new BatchConsumer({} as Kafka, logger, {
        ...options(handle),
        isolation: {
          classify: classifyCommonError,
          healthy: async () => healthy,
          deadLetter: async (_from, batch) => void letters.push(...batch),
          options: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
        },
      });
      return { consumer, letters };
    };
    const failOn = (offset: string) => async (_from: BatchSource, records: readonly SourceRecord[]) => {
      if (records.some((r) => r.offset === offset)) throw new TypeError(`cannot apply ${offset}`);
    };

    it('dead-letters the record that keeps failing and resolves past the whole batch', async () => {
      const { asPayload, fake } = payload([4, 5, 6]);
      const { consumer, letters } = isolated(failOn('5'));
      await consumer.handleBatch(asPayload);
      expect(letters).toEqual([expect.objectContaining({ reason: 'failed', errorType: 'TypeError', error: 'cannot apply 5', attempts: 3 })]);
      expect(letters.map((l) => l.source.offset)).toEqual(['5']);
      expect(fake.resolveOffset).toHaveBeenCalledWith('6');
      expect(fake.heartbeat).toHaveBeenCalled();
    });

    it('dead-letters nothing and leaves the batch for redelivery while the dependency is unhealthy', async () => {
      const { asPayload, fake } = payload([4, 5]);
      const { consumer, letters } = isolated(failOn('5'), false);
      await expect(consumer.handleBatch(asPayload)).rejects.toThrow(/dependency-unhealthy/);
      expect(letters).toEqual([]);
      expect(fake.resolveOffset).not.toHaveBeenCalled();
    });
  });
});
