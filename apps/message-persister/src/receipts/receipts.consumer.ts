import { Inject, Injectable } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { BatchConsumer, BatchSource, KAFKA, LOW_LATENCY_FETCH, SourceRecord } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { ChatSignalsTopic } from '@chat/contracts';
import { PersisterMetrics } from '../health/persister-metrics';
import { CONSUMER_GROUPS, ConsumerGroups } from '../consuming/consumer-groups';
import { DeadLetterPublisher } from '@chat/kafka';
import { persisterIsolation } from '../consuming/isolation';
import { PERSISTER_CONFIG, PersisterConfig } from '../config/persister.config';
import { PostgresReadinessCheck } from '../storage/postgres-readiness.check';
import { ReceiptProcessor } from './receipt-processor';

/** Each batch is one small upsert: two partitions in flight are plenty and leave the pool to ingest. */
const PARTITIONS_CONSUMED_CONCURRENTLY = 2;

/** chat.signals.v1 receipts → read_positions, offsets committed after the write. */
@Injectable()
export class ReceiptsConsumer {
  private readonly consumer: BatchConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    private readonly processor: ReceiptProcessor,
    deadLetters: DeadLetterPublisher,
    private readonly metrics: PersisterMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONSUMER_GROUPS) groups: ConsumerGroups,
    @Inject(PERSISTER_CONFIG) config: PersisterConfig,
    postgres: PostgresReadinessCheck,
  ) {
    this.consumer = new BatchConsumer(kafka, logger, {
      name: 'receipts',
      groupId: groups.receipts,
      topic: ChatSignalsTopic.name,
      // A new group applies every receipt still retained; replaying them is harmless (positions only move forward).
      fromBeginning: true,
      partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
      fetch: LOW_LATENCY_FETCH,
      prepare: () => deadLetters.connect(),
      handle: (from, records) => this.handle(from, records),
      isolation: persisterIsolation({
        checks: [postgres],
        deadLetters,
        maxAttempts: config.CONSUMER_MAX_BATCH_ATTEMPTS,
        onDeadLettered: (count) => metrics.signalsDeadLettered.inc(count),
      }),
      onBatchFailure: () => metrics.batchFailures.inc({ consumer: 'receipts' }),
    });
  }

  /** Resolves once consuming; retries connecting until then (or until shutdown). */
  start(): Promise<void> {
    return this.consumer.start();
  }

  private async handle(from: BatchSource, records: readonly SourceRecord[]): Promise<void> {
    const outcome = await this.processor.process(from, records);
    this.metrics.signalsConsumed.inc({ type: 'receipt' }, outcome.receipts);
    this.metrics.signalsConsumed.inc({ type: 'typing' }, outcome.typing);
    this.metrics.signalsDeadLettered.inc(outcome.invalid);
    this.metrics.readPositionsAdvanced.inc(outcome.advanced);
    const where = { topic: from.topic, partition: from.partition, firstOffset: records[0]?.offset, lastOffset: records.at(-1)?.offset };
    if (outcome.invalid > 0) this.logger.warn({ ...where, ...outcome }, 'sent signals to the dead-letter topic');
    this.logger.debug({ ...where, ...outcome }, 'receipts applied');
  }

  /** Waits for the in-flight batch, so no written-but-uncommitted work is cut. */
  stop(): Promise<void> {
    return this.consumer.stop();
  }
}
