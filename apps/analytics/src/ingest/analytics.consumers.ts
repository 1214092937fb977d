import { Inject, Injectable } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { BATCHED_FETCH, BatchConsumer, BatchSource, KAFKA, SourceRecord } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { RebuildInProgressError } from '../aggregate/aggregate-store';
import { BatchAggregator } from '../aggregate/batch-aggregator';
import { ANALYTICS_TOPICS } from '../aggregate/planner';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../config/analytics.config';
import { AnalyticsMetrics } from '../health/analytics-metrics';

/** Partitions of one topic in flight at once; each is its own compare-and-set, so they never race. */
const PARTITIONS_CONSUMED_CONCURRENTLY = 3;
/**
 * While a rebuild holds the lock a refused batch fails and is redelivered: waiting first keeps
 * that to about one try a second per partition (well inside the 10 s session timeout).
 */
const REBUILD_BACKOFF_MS = 1000;

/** The consumer group of one topic: `<ANALYTICS_GROUP_ID>.<topic>`. */
export function groupIdOf(baseGroupId: string, topic: string): string {
  return `${baseGroupId}.${topic}`;
}

/**
 * One shared BatchConsumer per topic. Not one group over four topics: BatchConsumer subscribes
 * to a single topic, and members of one group with different subscriptions get partitions of
 * topics they never subscribed to (kafkajs' round-robin assigner assigns the union).
 * Offsets are committed to Kafka after Redis has the batch; Redis' own stored offset is what
 * makes a redelivery count nothing.
 */
@Injectable()
export class AnalyticsConsumers {
  private readonly consumers: BatchConsumer[];

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(ANALYTICS_CONFIG) config: AnalyticsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly aggregator: BatchAggregator,
    private readonly metrics: AnalyticsMetrics,
  ) {
    this.consumers = ANALYTICS_TOPICS.map(
      (topic) =>
        new BatchConsumer(kafka, logger, {
          name: `analytics ${topic}`,
          groupId: groupIdOf(config.ANALYTICS_GROUP_ID, topic),
          topic,
          fromBeginning: config.ANALYTICS_FROM_BEGINNING,
          partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
          // Each batch is one Redis script per partition: under load, gather ~100 ms of records (ADR 0028).
          fetch: BATCHED_FETCH,
          handle: (from, records) => this.handle(from, records),
          onBatchFailure: () => metrics.batchFailures.inc({ topic }),
        }),
    );
  }

  async start(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.start()));
  }

  /** Each waits for its batches in flight and commits them. */
  async stop(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.stop().catch((error) => this.logger.warn({ err: error, groupId: consumer.groupId }, 'consumer stop failed'))));
  }

  private async handle(from: BatchSource, records: readonly SourceRecord[]): Promise<void> {
    const { topic } = from;
    const stopTimer = this.metrics.batchSeconds.startTimer({ topic });
    try {
      const outcome = await this.aggregator.process(from, records).catch(async (error: unknown) => {
        if (error instanceof RebuildInProgressError) await new Promise((resolve) => setTimeout(resolve, REBUILD_BACKOFF_MS));
        throw error;
      });
      this.metrics.records.inc({ topic, outcome: 'counted' }, outcome.counted);
      this.metrics.records.inc({ topic, outcome: 'skipped' }, outcome.skipped);
      this.metrics.records.inc({ topic, outcome: 'invalid' }, outcome.invalid);
      if (outcome.invalid > 0) {
        this.logger.warn({ ...from, invalid: outcome.invalid, lastOffset: records.at(-1)?.offset }, 'left out records that break the contract');
      }
    } finally {
      stopTimer();
    }
  }
}
