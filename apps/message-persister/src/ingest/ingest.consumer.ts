import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { KAFKA } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { ChatMessagesTopic } from '@chat/contracts';
import { PersisterMetrics } from '../health/persister-metrics';
import { retryUntilDone } from '../lifecycle/retry';
import { BatchProcessor } from './batch-processor';
import { DeadLetterPublisher, INGEST_GROUP_ID } from './dead-letter.publisher';

/** Partitions in flight at once; a room is one partition, so its writes stay sequential. */
const PARTITIONS_CONSUMED_CONCURRENTLY = 4;
/** How long shutdown waits for a connect attempt in progress (kafkajs retries it for ~30 s). */
const STARTING_GRACE_MS = 5000;

/**
 * A plain kafkajs consumer rather than the Nest transport: it needs eachBatch, so a whole batch
 * becomes one INSERT and one Redis pipeline, and offsets are resolved only after both succeed.
 */
@Injectable()
export class IngestConsumer implements BeforeApplicationShutdown, OnApplicationShutdown {
  private consumer?: Consumer;
  /** The consumer being connected, so shutdown can disconnect it before it is running. */
  private connecting?: Consumer;
  private starting?: Promise<void>;
  private stopping = false;
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly processor: BatchProcessor,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly metrics: PersisterMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Resolves once consuming; retries connecting until then (or until shutdown). */
  start(): Promise<void> {
    this.starting = retryUntilDone('ingest consumer', () => this.connect(), {
      signal: this.shutdown.signal,
      logger: this.logger,
    });
    return this.starting;
  }

  private async connect(): Promise<void> {
    await this.deadLetters.connect();
    const consumer = this.kafka.consumer({ groupId: INGEST_GROUP_ID, allowAutoTopicCreation: false });
    this.connecting = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => this.onCrash(consumer, payload.error, payload.restart));
    try {
      await consumer.connect();
      // From the beginning: a new group must persist the whole durable log, not just what comes next.
      await consumer.subscribe({ topics: [ChatMessagesTopic.name], fromBeginning: true });
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
    this.logger.info({ groupId: INGEST_GROUP_ID, topic: ChatMessagesTopic.name }, 'ingest consumer running');
  }

  private async handleBatch({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat }: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = batch;
    if (messages.length === 0) return;
    const last = messages[messages.length - 1].offset;
    try {
      const outcome = await this.processor.process({ topic, partition }, messages);
      this.metrics.persisted.inc(outcome.inserted);
      this.metrics.duplicates.inc(outcome.duplicates);
      this.metrics.deadLettered.inc({ reason: 'invalid' }, outcome.invalid);
      this.metrics.deadLettered.inc({ reason: 'rejected' }, outcome.rejected);
      if (outcome.invalid + outcome.rejected > 0) {
        this.logger.warn({ topic, partition, ...outcome }, 'sent records to the dead-letter topic');
      }
      this.logger.debug({ topic, partition, firstOffset: messages[0].offset, lastOffset: last, ...outcome }, 'batch stored');
    } catch (error) {
      this.metrics.batchFailures.inc();
      this.logger.warn(
        { err: error, topic, partition, firstOffset: messages[0].offset, lastOffset: last },
        'batch failed; offsets stay unresolved and kafkajs will redeliver it',
      );
      throw error;
    }
    resolveOffset(last);
    await commitOffsetsIfNecessary();
    await heartbeat();
  }

  /** kafkajs restarts itself after retriable crashes; anything else would leave ingest dead. */
  private onCrash(consumer: Consumer, error: Error, restart: boolean): void {
    if (restart || this.stopping || consumer !== this.consumer) {
      this.logger.warn({ err: error, restart }, 'ingest consumer crashed');
      return;
    }
    this.logger.error({ err: error }, 'ingest consumer crashed and kafkajs will not restart it; restarting');
    this.consumer = undefined;
    void consumer
      .disconnect()
      .catch(() => undefined)
      .then(() => this.start())
      .catch((e) => this.logger.warn({ err: e }, 'ingest consumer restart abandoned'));
  }

  /** Waits for the in-flight batch (kafkajs disconnect does), so no stored-but-uncommitted work is cut. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.shutdown.abort();
    await this.connecting?.disconnect().catch(() => undefined);
    await Promise.race([this.starting?.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, STARTING_GRACE_MS).unref())]);
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer) {
      await consumer.disconnect();
      this.logger.info('ingest consumer stopped');
    }
  }

  /** After the consumer: a batch still in flight may need to dead-letter records. */
  async onApplicationShutdown(): Promise<void> {
    await this.deadLetters.disconnect().catch((error) => this.logger.warn({ err: error }, 'DLQ producer disconnect failed'));
  }
}
