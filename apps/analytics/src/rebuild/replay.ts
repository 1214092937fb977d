import type { Kafka } from 'kafkajs';
import { deleteGroups } from '@chat/kafka';
import type { Logger } from '@chat/logging';
import type { BatchAggregator, BatchOutcome } from '../aggregate/batch-aggregator';
import type { AnalyticsTopic } from '../aggregate/planner';

/** One partition's part of the retained log a rebuild recounts: offsets [from, to). */
export interface PartitionRange {
  topic: AnalyticsTopic;
  partition: number;
  from: string;
  /** The partition's end when the rebuild began; records produced after it are counted too. */
  to: string;
}

const PROGRESS_EVERY_MS = 10_000;

export interface ReplayOptions {
  kafka: Kafka;
  logger: Logger;
  aggregator: BatchAggregator;
  /** A group of its own: never one of the live service's. */
  groupId: string;
  ranges: readonly PartitionRange[];
  /** Called after every batch; throwing stops the replay (the lock was lost). */
  check: () => void;
}

const partitionKey = (topic: string, partition: number) => `${topic}/${partition}`;

/**
 * Reads every range from its start with a consumer group of its own and applies
 * each batch through the aggregator, the live service's counted-once path. Resolves once every
 * partition has been applied up to its `to`.
 */
export async function replayRanges(options: ReplayOptions): Promise<Map<AnalyticsTopic, BatchOutcome>> {
  const { kafka, logger, aggregator, groupId, ranges, check } = options;
  const outcomes = new Map<AnalyticsTopic, BatchOutcome>();
  const pending = new Map(ranges.filter((r) => BigInt(r.from) < BigInt(r.to)).map((r) => [partitionKey(r.topic, r.partition), BigInt(r.to)]));
  if (pending.size === 0) return outcomes;

  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, sessionTimeout: 10_000, maxWaitTimeInMs: 200 });
  let finish: (error?: unknown) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    finish = (error) => (error === undefined ? resolve() : reject(error));
  });
  const progress = setInterval(() => logger.info({ partitionsLeft: pending.size, outcomes: Object.fromEntries(outcomes) }, 'rebuild replaying'), PROGRESS_EVERY_MS);
  try {
    await consumer.connect();
    // Wherever kafkajs falls back to (a rejoin, an offset gone by retention), the beginning is safe:
    // what was counted is skipped against the stored offsets. The end would skip the rest of the
    // range for good (the stored offset would move past it). Committing, for the same reason.
    await consumer.subscribe({ topics: [...new Set(ranges.map((r) => r.topic))], fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch, heartbeat }) => {
        const key = partitionKey(batch.topic, batch.partition);
        const to = pending.get(key);
        if (to === undefined || batch.messages.length === 0) return;
        try {
          const range = ranges.find((r) => r.topic === batch.topic && r.partition === batch.partition);
          if (!range) return;
          const outcome = await aggregator.process({ topic: batch.topic, partition: batch.partition, groupId }, batch.messages);
          add(outcomes, range.topic, outcome);
          check();
        } catch (error) {
          finish(error);
          return;
        }
        const last = batch.messages.at(-1);
        if (last !== undefined && BigInt(last.offset) + 1n >= to) {
          pending.delete(key);
          if (pending.size === 0) finish();
        }
        await heartbeat();
      },
    });
    // Every partition, those with nothing to recount too: they wait at their end, not read from the beginning.
    for (const range of ranges) consumer.seek({ topic: range.topic, partition: range.partition, offset: range.from });
    await finished;
    return outcomes;
  } finally {
    clearInterval(progress);
    await consumer.disconnect().catch(() => undefined);
    await deleteGroups(kafka, [groupId]).catch((error: unknown) => logger.warn({ err: error, groupId }, 'could not delete the rebuild consumer group'));
  }
}

function add(outcomes: Map<AnalyticsTopic, BatchOutcome>, topic: AnalyticsTopic, outcome: BatchOutcome): void {
  const sum = outcomes.get(topic) ?? { counted: 0, skipped: 0, invalid: 0 };
  outcomes.set(topic, { counted: sum.counted + outcome.counted, skipped: sum.skipped + outcome.skipped, invalid: sum.invalid + outcome.invalid });
}
