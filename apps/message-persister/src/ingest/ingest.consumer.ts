import { Inject, Injectable } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { BATCHED_FETCH, BatchConsumer, BatchSource, KAFKA, SourceRecord } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { RedisReadinessCheck } from '@chat/redis';
import { ChatMessagesTopic } from '@chat/contracts';
import { PersisterMetrics } from '../health/persister-metrics';
import { CONSUMER_GROUPS, ConsumerGroups } from '../consuming/consumer-groups';
import { DeadLetterPublisher } from '@chat/kafka';
import { persisterIsolation } from '../consuming/isolation';
import { PERSISTER_CONFIG, PersisterConfig } from '../config/persister.config';
import { PostgresReadinessCheck } from '../storage/postgres-readiness.check';
import { BatchProcessor } from './batch-processor';

/** Partitions in flight at once; a room is one partition, so its writes stay sequential. */
const PARTITIONS_CONSUMED_CONCURRENTLY = 4;
/**
 * Under load a fetch starts at most every 100 ms, so batches grow with load: PostgreSQL pays per
 * statement and per commit, not per row (ADR 0009: persister 26.5 → 9 % of a core, PostgreSQL
 * 31 → 8 % at 1,000 msg/s). When quiet a record is taken on arrival and an idle fetch is held
 * two seconds (ADR 0028, 0029; it was 64 KiB or 100 ms, ten empty fetches a second at rest). The lag
 * this adds is covered for readers by the gateways' recent-messages buffer (ADR 0007); delivery
 * to sockets does not wait for it.
 */

/** chat.messages.v1 → one INSERT and one Redis pipeline per batch, offsets committed after both. */
@Injectable()
export class IngestConsumer {
  private readonly consumer: BatchConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    private readonly processor: BatchProcessor,
    deadLetters: DeadLetterPublisher,
    private readonly metrics: PersisterMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONSUMER_GROUPS) groups: ConsumerGroups,
    @Inject(PERSISTER_CONFIG) config: PersisterConfig,
    postgres: PostgresReadinessCheck,
    redis: RedisReadinessCheck,
  ) {
    this.consumer = new BatchConsumer(kafka, logger, {
      name: 'ingest',
      groupId: groups.ingest,
      topic: ChatMessagesTopic.name,
      // From the beginning: a new group must persist the whole durable log, not just what comes next.
      fromBeginning: true,
      partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
      fetch: BATCHED_FETCH,
      prepare: () => deadLetters.connect(),
      handle: (from, records) => this.handle(from, records),
      // A message kept failing alone (e.g. its room's cache key is corrupt) must not stall its room.
      isolation: persisterIsolation({
        checks: [postgres, redis],
        deadLetters,
        maxAttempts: config.CONSUMER_MAX_BATCH_ATTEMPTS,
        onDeadLettered: (count) => metrics.deadLettered.inc({ reason: 'failed' }, count),
      }),
      onBatchFailure: () => metrics.batchFailures.inc({ consumer: 'ingest' }),
    });
  }

  /** Resolves once consuming; retries connecting until then (or until shutdown). */
  start(): Promise<void> {
    return this.consumer.start();
  }

  private async handle(from: BatchSource, records: readonly SourceRecord[]): Promise<void> {
    const outcome = await this.processor.process(from, records);
    this.metrics.persisted.inc(outcome.inserted);
    this.metrics.duplicates.inc(outcome.duplicates);
    this.metrics.deadLettered.inc({ reason: 'invalid' }, outcome.invalid);
    this.metrics.deadLettered.inc({ reason: 'rejected' }, outcome.rejected);
    const where = { topic: from.topic, partition: from.partition, firstOffset: records[0]?.offset, lastOffset: records.at(-1)?.offset };
    if (outcome.invalid + outcome.rejected > 0) this.logger.warn({ ...where, ...outcome }, 'sent records to the dead-letter topic');
    this.logger.debug({ ...where, ...outcome }, 'batch stored');
  }

  /** Waits for the in-flight batch, so no stored-but-uncommitted work is cut. */
  stop(): Promise<void> {
    return this.consumer.stop();
  }
}
