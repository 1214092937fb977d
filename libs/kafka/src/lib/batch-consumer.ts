import type { Batch, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from '@chat/logging';
import { retryUntilDone } from '@chat/bootstrap';
import type { BatchSource, SourceRecord } from './source-record';
import type { DeadLetter } from './dead-letter';
import { recordConsumerLag } from './consumer-lag';
import { restartOnFatalCrash } from './restart-on-fatal-crash';
import { FetchPacer } from './fetch-pacer';
import type { PacedFetchSettings } from './fetch-settings';
import { describeError, FailureKind, IsolationOptions, RecordFailure, runWithIsolation } from './failure-isolation';

/** How long stop() waits for a connect attempt in progress (kafkajs retries it for ~30 s). */
const STARTING_GRACE_MS = 5000;
/**
 * kafkajs' autoCommit commits after every partition batch: hundreds of OffsetCommit requests a
 * second under load, each a write on the broker. Committing processed offsets once a second
 * instead means a crash or rebalance redelivers up to a second of records, which the handlers
 * absorb (they must be idempotent anyway).
 */
const COMMIT_INTERVAL_MS = 1000;
/** How long a clean stop waits for the batches in flight and their commit before leaving the group. */
const COMMIT_ON_STOP_TIMEOUT_MS = 5000;
/**
 * Below kafkajs' 30 s request timeout: a member left behind by a crash (kafkajs rejoins as a new
 * member) must expire before the survivors' SyncGroup times out, or every restart leaves another
 * such member and the group never settles (seen after a Kafka outage in the e2e suite).
 */
const SESSION_TIMEOUT_MS = 10_000;

export interface BatchConsumerOptions {
  /** Names the consumer in logs and metrics: `ingest`, `receipts`, `presence`. */
  name: string;
  groupId: string;
  topic: string;
  /** Where a group without committed offsets starts. */
  fromBeginning: boolean;
  partitionsConsumedConcurrently: number;
  /** Fetch sizing and pacing: a consumer whose work is cheaper per batch than per record gathers more (BATCHED_FETCH). */
  fetch?: Partial<PacedFetchSettings>;
  /** Runs before every connect attempt, e.g. connecting the DLQ producer the handler needs. */
  prepare?: () => Promise<void>;
  /**
   * The side effect of one batch of one partition. Resolving lets the batch's offsets be
   * committed; throwing leaves them unresolved, so kafkajs redelivers the batch (it must be idempotent).
   */
  handle: (from: BatchSource, records: readonly SourceRecord[]) => Promise<void>;
  /**
   * Bounded retries of a failing batch, then record by record: a record that still fails on its
   * own while `healthy` says yes is dead-lettered and the partition moves on. Without it a
   * failing batch is redelivered until it succeeds.
   */
  isolation?: {
    classify(error: unknown): FailureKind;
    healthy(): Promise<boolean>;
    deadLetter(from: BatchSource, letters: readonly DeadLetter[]): Promise<void>;
    options?: IsolationOptions;
  };
  /** Told of each failed batch before it is redelivered (with isolation: of each failed try). */
  onBatchFailure?: () => void;
  /** Told of each handled batch, e.g. to see whether its partition has caught up (offsetLag). */
  onBatchDone?: (batch: Batch) => void;
  /** Subscribes to each new kafkajs consumer's instrumentation events (group join, fetch, crash…). */
  instrument?: (consumer: Consumer) => void;
}

/**
 * A plain kafkajs consumer rather than the Nest transport: eachBatch lets a whole batch become
 * one statement, and offsets are resolved and committed only after the batch's side effect is
 * done (at-least-once). Connecting is retried until it succeeds or the process shuts down; a
 * crash kafkajs will not recover from restarts it; stop() waits for the batch in flight.
 */
export class BatchConsumer {
  private consumer?: Consumer;
  /** The consumer being connected, so stop() can disconnect it before it is running. */
  private connecting?: Consumer;
  private starting?: Promise<void>;
  private stopping = false;
  private readonly shutdown = new AbortController();
  /** Batches being handled now (up to partitionsConsumedConcurrently). */
  private readonly inFlight = new Set<Promise<void>>();
  /** The running generation's resolved-but-uncommitted offsets (kafkajs drops them on a rebalance). */
  private uncommitted?: EachBatchPayload['uncommittedOffsets'];
  private trailingCommit?: NodeJS.Timeout;
  /** Spaces the running consumer's fetches under load (fetch.minIntervalMs). */
  private pacer?: FetchPacer;

  constructor(
    private readonly kafka: Kafka,
    private readonly logger: Logger,
    private readonly options: BatchConsumerOptions,
  ) {}

  get groupId(): string {
    return this.options.groupId;
  }

  /** Resolves once consuming; retries connecting until then (or until stop()). */
  start(): Promise<void> {
    this.starting = retryUntilDone(`${this.options.name} consumer`, () => this.connect(), {
      signal: this.shutdown.signal,
      logger: this.logger,
    });
    return this.starting;
  }

  private async connect(): Promise<void> {
    const { groupId, topic, fromBeginning, partitionsConsumedConcurrently, name, fetch } = this.options;
    await this.options.prepare?.();
    const { minIntervalMs, ...sizing } = fetch ?? {};
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false, sessionTimeout: SESSION_TIMEOUT_MS, ...sizing });
    this.connecting = consumer;
    if (minIntervalMs !== undefined) {
      const pacer = new FetchPacer(minIntervalMs);
      consumer.on(consumer.events.FETCH_START, () => pacer.fetchStarted());
      this.pacer = pacer;
    }
    restartOnFatalCrash(consumer, { name, logger: this.logger, signal: this.shutdown.signal, restart: () => this.connect() });
    this.options.instrument?.(consumer);
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning });
      await consumer.run({
        autoCommit: false,
        autoCommitInterval: COMMIT_INTERVAL_MS,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently,
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
    this.logger.info({ consumer: name, groupId, topic }, `${name} consumer running`);
  }

  /** Public for unit tests, which drive it with a fake payload; kafkajs calls it through run(). */
  async handleBatch(payload: EachBatchPayload): Promise<void> {
    const work = this.processBatch(payload);
    this.inFlight.add(work);
    try {
      await work;
    } finally {
      this.inFlight.delete(work);
    }
    // kafkajs starts the next fetch once this returns: holding here is what spaces the fetches.
    await this.pacer?.hold(this.shutdown.signal);
  }

  private async processBatch({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, uncommittedOffsets }: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = batch;
    const first = messages[0]?.offset;
    const last = messages.at(-1)?.offset;
    if (first === undefined || last === undefined) return;
    const source = { topic, partition, groupId: this.options.groupId };
    try {
      await this.handleIsolating(source, messages, heartbeat);
    } catch (error) {
      // With isolation, every failed try was already counted as it happened.
      if (!this.options.isolation) this.options.onBatchFailure?.();
      this.logger.warn(
        { err: error, consumer: this.options.name, topic, partition, firstOffset: first, lastOffset: last },
        'batch failed; offsets stay unresolved and kafkajs will redeliver it',
      );
      throw error;
    }
    this.options.onBatchDone?.(batch);
    recordConsumerLag(this.options.groupId, batch);
    resolveOffset(last);
    this.uncommitted = uncommittedOffsets;
    await commitOffsetsIfNecessary();
    this.scheduleTrailingCommit();
    await heartbeat();
  }

  /**
   * kafkajs commits on its interval only when a later batch comes: on a partition that then goes
   * quiet, the last batch would stay uncommitted (and be redelivered after a restart) until the
   * next record. One timer per consumer commits what is left once the interval has passed.
   */
  private scheduleTrailingCommit(): void {
    if (this.trailingCommit) return;
    this.trailingCommit = setTimeout(() => {
      this.trailingCommit = undefined;
      const offsets = this.pendingOffsets();
      if (!this.consumer || this.stopping || offsets.length === 0) return;
      this.consumer.commitOffsets(offsets).catch((error: Error) =>
        this.logger.debug({ err: error, consumer: this.options.name }, 'trailing commit failed; the next batch or stop commits'),
      );
    }, COMMIT_INTERVAL_MS);
    this.trailingCommit.unref();
  }

  private pendingOffsets(): Array<{ topic: string; partition: number; offset: string }> {
    return (this.uncommitted?.().topics ?? []).flatMap(({ topic, partitions }) => partitions.map(({ partition, offset }) => ({ topic, partition, offset })));
  }

  private async handleIsolating(source: BatchSource, messages: readonly SourceRecord[], heartbeat: () => Promise<void>): Promise<void> {
    const { isolation, handle, name } = this.options;
    if (!isolation) return handle(source, messages);
    const failures = await runWithIsolation(
      messages,
      {
        run: (records) => handle(source, records),
        classify: (error) => isolation.classify(error),
        healthy: () => isolation.healthy(),
        deadLetter: (failed) => isolation.deadLetter(source, failed.map(toFailedLetter)),
        onAttemptFailed: (error, attempt) => {
          this.options.onBatchFailure?.();
          this.logger.warn({ err: error, consumer: name, ...source, attempt }, 'batch try failed');
        },
        pause: async (ms) => {
          await new Promise((resolve) => setTimeout(resolve, ms));
          await heartbeat();
        },
      },
      isolation.options,
    );
    if (failures.length > 0) {
      const offsets = failures.map((f) => f.record.offset);
      this.logger.warn({ consumer: name, ...source, offsets }, 'records kept failing on their own; dead-lettered them');
    }
  }

  /** On a clean stop, the last second's work is committed too, so a restart redelivers nothing. */
  private async commitProcessed(consumer: Consumer): Promise<void> {
    // Best effort and bounded: whatever goes wrong here (a consumer kafkajs is restarting, a
    // group mid-rebalance), stop() must still go on to disconnect and leave the group, or the
    // group waits a whole session timeout for this member.
    const commit = async () => {
      consumer.pause([{ topic: this.options.topic }]);
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      const offsets = this.pendingOffsets();
      if (offsets.length > 0) await consumer.commitOffsets(offsets);
    };
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, COMMIT_ON_STOP_TIMEOUT_MS).unref());
    await Promise.race([commit(), timeout]).catch((error: Error) =>
      this.logger.warn({ err: error, consumer: this.options.name }, 'could not commit on stop; the last batches will be redelivered'),
    );
  }

  /** Waits for the batches in flight and commits them, so no stored-but-uncommitted work is cut. Final. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.trailingCommit);
    this.shutdown.abort();
    await this.connecting?.disconnect().catch(() => undefined);
    await Promise.race([this.starting?.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, STARTING_GRACE_MS).unref())]);
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer) {
      await this.commitProcessed(consumer);
      await consumer.disconnect();
      this.logger.info({ consumer: this.options.name }, `${this.options.name} consumer stopped`);
    }
  }
}

function toFailedLetter({ record, error, attempts }: RecordFailure<SourceRecord>): DeadLetter {
  const { type, message } = describeError(error);
  return { source: record, error: message, reason: 'failed', errorType: type, attempts };
}
