import { Inject, Injectable } from '@nestjs/common';
import type { Batch, Consumer, Kafka } from 'kafkajs';
import { PresenceEventsTopic } from '@chat/contracts';
import { allAnswer, BatchConsumer, BatchSource, classifyCommonError, DEFAULT_ISOLATION, KAFKA, LOW_LATENCY_FETCH, SourceRecord } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { RedisReadinessCheck } from '@chat/redis';
import { PRESENCE_CONFIG, PresenceConfig } from '../config/presence.config';
import { PresenceMetrics } from '../health/presence-metrics';
import { PresenceLeader } from '../leader/presence.leader';
import { PRESENCE_STORE } from '../state/tokens';
import type { PresenceStore } from '../state/presence-store';
import { BatchProcessor } from './batch-processor';
import type { DeadLetterSink } from '@chat/kafka';
import { PRESENCE_DEAD_LETTERS } from '../state/tokens';
import { ConsumerProgress } from './consumer-progress';

/** Partitions in flight at once; a user is one partition, so their events stay sequential. */
const PARTITIONS_CONSUMED_CONCURRENTLY = 3;
/**
 * An idle fetch returns after this long: the caught-up watermark advances at this pace, and it
 * can lag by two rounds. Shorter than LOW_LATENCY_FETCH's 2 s on purpose: grace (1 s) + slack
 * + tick + 2 rounds of 500 ms would already break "offline within 2 s" (ADR 0025).
 */
const MAX_WAIT_MS = 100;

/**
 * presence.events.v1 through the shared BatchConsumer: a batch becomes a few Redis commits, and
 * offsets are resolved only after they succeeded (a redelivered batch is skipped by offset).
 * Also reports, per partition, how far the group has applied the topic (the watermark the
 * leader's deadlines wait for).
 */
@Injectable()
export class PresenceConsumer {
  private readonly consumer: BatchConsumer;
  private readonly progress = new ConsumerProgress();
  private reportedAt = 0;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(PRESENCE_STORE) private readonly store: PresenceStore,
    @Inject(PRESENCE_CONFIG) config: PresenceConfig,
    private readonly processor: BatchProcessor,
    private readonly leader: PresenceLeader,
    private readonly metrics: PresenceMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(PRESENCE_DEAD_LETTERS) deadLetters: DeadLetterSink,
    redis: RedisReadinessCheck,
  ) {
    this.consumer = new BatchConsumer(kafka, logger, {
      name: 'presence',
      groupId: config.PRESENCE_GROUP_ID,
      topic: PresenceEventsTopic.name,
      // A new group starts at the end: presence is about now, and Redis holds the state.
      fromBeginning: false,
      partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
      fetch: { ...LOW_LATENCY_FETCH, maxWaitTimeInMs: MAX_WAIT_MS },
      handle: (from, records) => this.handle(from, records),
      // An event that keeps failing alone while Redis answers must not hold up its partition.
      isolation: {
        classify: classifyCommonError,
        healthy: allAnswer([redis]),
        deadLetter: async (from, letters) => {
          await deadLetters.publish(letters, from);
          metrics.events.inc({ outcome: 'failed' }, letters.length);
        },
        options: { ...DEFAULT_ISOLATION, maxAttempts: config.CONSUMER_MAX_BATCH_ATTEMPTS },
      },
      onBatchFailure: () => {
        this.progress.onBatchFailed();
        metrics.batchFailures.inc();
      },
      onBatchDone: (batch: Batch) => this.progress.onBatch(batch.offsetLag() === '0'),
      instrument: (consumer) => this.instrument(consumer),
    });
  }

  /** Resolves once consuming; retries connecting until then (or until shutdown). */
  start(): Promise<void> {
    return this.consumer.start();
  }

  /** Waits for the batches in flight and commits them, so no applied-but-uncommitted work is cut. */
  stop(): Promise<void> {
    return this.consumer.stop();
  }

  private instrument(consumer: Consumer): void {
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.progress.onGroupJoin(payload.memberAssignment[PresenceEventsTopic.name] ?? []));
    consumer.on(consumer.events.REBALANCING, () => this.progress.onRebalancing());
    consumer.on(consumer.events.CRASH, () => this.progress.onRebalancing());
    consumer.on(consumer.events.FETCH_START, ({ payload }) => {
      this.progress.onFetchStart(payload.nodeId);
      this.reportProgress();
    });
  }

  private reportProgress(): void {
    const caughtUp = this.progress.caughtUp();
    if (!caughtUp || caughtUp.at <= this.reportedAt) return;
    this.reportedAt = caughtUp.at;
    // Best effort: a missed report only delays deadlines until the next one.
    this.store.reportCaughtUp(caughtUp.partitions, caughtUp.at).catch(() => undefined);
  }

  private async handle(from: BatchSource, records: readonly SourceRecord[]): Promise<void> {
    const stopTimer = this.metrics.batchSeconds.startTimer();
    try {
      const outcome = await this.processor.process(from, records);
      this.metrics.events.inc({ outcome: 'applied' }, outcome.applied);
      this.metrics.events.inc({ outcome: 'duplicate' }, outcome.duplicates);
      this.metrics.events.inc({ outcome: 'stale' }, outcome.stale);
      this.metrics.events.inc({ outcome: 'invalid' }, outcome.invalid);
      this.metrics.conflicts.inc(outcome.conflicts);
      const lastOffset = records.at(-1)?.offset;
      if (outcome.invalid > 0) this.logger.warn({ ...from, invalid: outcome.invalid, lastOffset }, 'sent records to the dead-letter topic');
      if (outcome.changes.length > 0) this.leader.nudge();
    } finally {
      stopTimer();
    }
  }
}
