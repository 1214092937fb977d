import { Inject, Injectable } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { PresenceEventsTopic } from '@chat/contracts';
import { KAFKA } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { PRESENCE_CONFIG, PresenceConfig } from '../config/presence.config';
import { PresenceMetrics } from '../health/presence-metrics';
import { PresenceLeader } from '../leader/presence.leader';
import { retryUntilDone } from '@chat/health';
import { PRESENCE_STORE } from '../state/tokens';
import type { PresenceStore } from '../state/presence-store';
import { BatchProcessor } from './batch-processor';
import { ConsumerProgress } from './consumer-progress';

/** Partitions in flight at once; a user is one partition, so their events stay sequential. */
const PARTITIONS_CONSUMED_CONCURRENTLY = 3;
/** An idle fetch returns after this long: the caught-up watermark advances at this pace. */
const MAX_WAIT_MS = 100;
/** How long shutdown waits for a connect attempt in progress (kafkajs retries it for ~30 s). */
const STARTING_GRACE_MS = 5000;

/**
 * presence.events.v1 through kafkajs eachBatch: a batch becomes a few Redis commits, and offsets
 * are resolved and committed only after they succeeded. Also reports, per partition, how far the
 * group has applied the topic (the watermark the leader's deadlines wait for).
 */
@Injectable()
export class PresenceConsumer {
  private consumer?: Consumer;
  private connecting?: Consumer;
  private starting?: Promise<void>;
  private stopping = false;
  private readonly shutdown = new AbortController();
  private readonly progress = new ConsumerProgress();
  private reportedAt = 0;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PRESENCE_STORE) private readonly store: PresenceStore,
    @Inject(PRESENCE_CONFIG) private readonly config: PresenceConfig,
    private readonly processor: BatchProcessor,
    private readonly leader: PresenceLeader,
    private readonly metrics: PresenceMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Resolves once consuming; retries connecting until then (or until shutdown). */
  start(): Promise<void> {
    this.starting = retryUntilDone('presence consumer', () => this.connect(), { signal: this.shutdown.signal, logger: this.logger });
    return this.starting;
  }

  private async connect(): Promise<void> {
    const groupId = this.config.PRESENCE_GROUP_ID;
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: MAX_WAIT_MS });
    this.connecting = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => this.onCrash(consumer, payload.error, payload.restart));
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.progress.onGroupJoin(payload.memberAssignment[PresenceEventsTopic.name] ?? []));
    consumer.on(consumer.events.REBALANCING, () => this.progress.onRebalancing());
    consumer.on(consumer.events.FETCH_START, ({ payload }) => {
      this.progress.onFetchStart(payload.nodeId);
      this.reportProgress();
    });
    try {
      await consumer.connect();
      // A new group starts at the end: presence is about now, and Redis holds the state.
      await consumer.subscribe({ topics: [PresenceEventsTopic.name], fromBeginning: false });
      await consumer.run({
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
        eachBatch: (payload) => this.handleBatch(payload),
      });
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    } finally {
      this.connecting = undefined;
    }
    if (this.stopping) {
      await consumer.disconnect();
      return;
    }
    this.consumer = consumer;
    this.logger.info({ groupId, topic: PresenceEventsTopic.name }, 'presence consumer running');
  }

  private reportProgress(): void {
    const caughtUp = this.progress.caughtUp();
    if (!caughtUp || caughtUp.at <= this.reportedAt) return;
    this.reportedAt = caughtUp.at;
    // Best effort: a missed report only delays deadlines until the next one.
    this.store.reportCaughtUp(caughtUp.partitions, caughtUp.at).catch(() => undefined);
  }

  private async handleBatch({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat }: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = batch;
    if (messages.length === 0) return;
    const last = messages[messages.length - 1].offset;
    const stopTimer = this.metrics.batchSeconds.startTimer();
    try {
      const outcome = await this.processor.process({ topic, partition }, messages);
      this.metrics.events.inc({ outcome: 'applied' }, outcome.applied);
      this.metrics.events.inc({ outcome: 'duplicate' }, outcome.duplicates);
      this.metrics.events.inc({ outcome: 'stale' }, outcome.stale);
      this.metrics.events.inc({ outcome: 'invalid' }, outcome.invalid);
      this.metrics.conflicts.inc(outcome.conflicts);
      if (outcome.invalid > 0) this.logger.warn({ topic, partition, invalid: outcome.invalid, lastOffset: last }, 'sent records to the dead-letter topic');
      if (outcome.changes.length > 0) this.leader.nudge();
    } catch (error) {
      this.progress.onBatchFailed();
      this.metrics.batchFailures.inc();
      this.logger.warn(
        { err: error, topic, partition, firstOffset: messages[0].offset, lastOffset: last },
        'batch failed; offsets stay unresolved and kafkajs will redeliver it',
      );
      throw error;
    } finally {
      stopTimer();
    }
    this.progress.onBatch(batch.offsetLag() === '0');
    resolveOffset(last);
    await commitOffsetsIfNecessary();
    await heartbeat();
  }

  /** kafkajs restarts itself after retriable crashes; anything else would leave consuming dead. */
  private onCrash(consumer: Consumer, error: Error, restart: boolean): void {
    this.progress.onRebalancing();
    if (restart || this.stopping || consumer !== this.consumer) {
      this.logger.warn({ err: error, restart }, 'presence consumer crashed');
      return;
    }
    this.logger.error({ err: error }, 'presence consumer crashed and kafkajs will not restart it; restarting');
    this.consumer = undefined;
    void consumer
      .disconnect()
      .catch(() => undefined)
      .then(() => this.start())
      .catch((e) => this.logger.warn({ err: e }, 'presence consumer restart abandoned'));
  }

  /** Waits for the in-flight batch (kafkajs disconnect does), so no applied-but-uncommitted work is cut. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.shutdown.abort();
    await this.connecting?.disconnect().catch(() => undefined);
    await Promise.race([this.starting?.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, STARTING_GRACE_MS).unref())]);
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer) {
      await consumer.disconnect();
      this.logger.info('presence consumer stopped');
    }
  }
}
