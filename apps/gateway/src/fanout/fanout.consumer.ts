import { Batch, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { commitCurrentEnds, LOW_LATENCY_FETCH, recordConsumerLag, restartOnFatalCrash } from '@chat/kafka';
import type { Logger } from '@chat/logging';
import { FanoutPositions } from './fanout-positions';

/** Handles one topic's records for the local sockets. */
export interface FanoutHandler {
  readonly topic: string;
  /**
   * Set when the topic's record key is the roomId (its contract in libs/contracts): then only
   * records of rooms with a socket on this gateway reach onRecords, so the others are never decoded.
   */
  readonly keyedByRoom?: boolean;
  onRecords(partition: number, records: readonly KafkaMessage[]): void;
  /** Gets each record of a room with no local socket, still encoded (keyedByRoom only). */
  onElsewhere?(roomId: string, record: KafkaMessage): void;
}

/** Whether any socket of this gateway is in the room now (the Socket.IO adapter's rooms). */
export type HasLocalRoom = (roomId: string) => boolean;

/**
 * Positions are committed at most this often: the group's commits only matter after a rejoin
 * (broker outage, session timeout), and the in-memory FanoutPositions drop what they replay.
 * Committing after every batch was most of a gateway's Kafka requests under load (ADR 0009, 0028).
 */
const COMMIT_INTERVAL_MS = 1000;

/**
 * Consumes every fan-out topic (messages, signals, presence changes) in one consumer group of
 * this process alone, so every gateway sees every record and pushes it to its local sockets.
 *
 * A new process starts at the current end (its clients catch up through room:join sinceOffset),
 * but once running it never skips: the group gets a committed position on every partition
 * before it first joins, commits what it emitted once a second, and after any rejoin resumes
 * from there, dropping the records it had already emitted (ADR 0010).
 */
export class FanoutConsumer {
  private consumer?: Consumer;
  private readonly handlers: Map<string, FanoutHandler>;
  private readonly positions = new FanoutPositions();
  private readonly shutdown = new AbortController();

  constructor(
    private readonly kafka: Kafka,
    readonly groupId: string,
    handlers: readonly FanoutHandler[],
    private readonly logger: Logger,
    private readonly hasLocalRoom: HasLocalRoom,
    /** Told how many new records of a topic each batch brought. */
    private readonly onConsumed: (topic: string, count: number) => void = () => undefined,
  ) {
    this.handlers = new Map(handlers.map((h) => [h.topic, h]));
  }

  /** Resolves once the group has joined; a failure leaves nothing running (the caller retries). */
  async start(): Promise<void> {
    await commitCurrentEnds(this.kafka, this.groupId, [...this.handlers.keys()]);
    await this.run();
  }

  async stop(): Promise<void> {
    this.shutdown.abort();
    await this.consumer?.disconnect();
  }

  private async run(): Promise<void> {
    // On the first byte, held long when idle (ADR 0025): fan-out is the end-to-end latency path.
    const consumer = this.kafka.consumer({ groupId: this.groupId, ...LOW_LATENCY_FETCH });
    // The group keeps its committed positions on a restart: no commitCurrentEnds, or the gap would be skipped.
    restartOnFatalCrash(consumer, { name: 'fan-out', logger: this.logger, signal: this.shutdown.signal, restart: () => this.run() });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...this.handlers.keys()], fromBeginning: false });
      await consumer.run({
        // kafkajs' autoCommit commits after every batch whatever autoCommitInterval says
        // (runner.js handleBatch): ~230 OffsetCommit requests a second per gateway at 1,000 msg/s.
        autoCommit: false,
        autoCommitInterval: COMMIT_INTERVAL_MS,
        eachBatch: async (payload) => {
          await this.handleBatch(payload);
          await this.commitIfDue(payload);
        },
      });
      await joined;
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    this.consumer = consumer;
  }

  /** Public for unit tests, which drive it with a fake batch; kafkajs calls it through run(). */
  async handleBatch({ batch }: { batch: Pick<Batch, 'topic' | 'partition' | 'messages' | 'highWatermark'> }): Promise<void> {
    recordConsumerLag(this.groupId, batch);
    const records = this.positions.unseen(batch.topic, batch.partition, batch.messages);
    if (records.length === 0) return;
    this.onConsumed(batch.topic, records.length);
    const handler = this.handlers.get(batch.topic);
    try {
      if (handler) handler.onRecords(batch.partition, handler.keyedByRoom ? this.local(handler, records) : records);
    } catch (error) {
      // A bug in one handler must not stall the partition for every socket on this gateway.
      this.logger.error({ err: error, topic: batch.topic, partition: batch.partition }, 'fan-out handler failed');
    }
    this.positions.emitted(batch.topic, batch.partition, records);
  }

  /**
   * Commits what was emitted once the interval has passed. Best effort: the position only matters
   * after a rejoin, which FanoutPositions covers by dropping what it replays, and a rebalance the
   * commit runs into is learnt from the next heartbeat anyway. A partition that goes quiet keeps
   * its last second uncommitted until its next record, so a rejoin replays at most that second.
   */
  private async commitIfDue({ batch, resolveOffset, commitOffsetsIfNecessary }: EachBatchPayload): Promise<void> {
    resolveOffset(batch.lastOffset());
    await commitOffsetsIfNecessary().catch((error: Error) => this.logger.debug({ err: error, groupId: this.groupId }, 'fan-out commit failed; the next one covers it'));
  }

  /**
   * The records of rooms joined here; the rest go to onElsewhere. A batch is handled in one
   * synchronous step, so no socket can join a room between this check and the emit.
   */
  private local(handler: FanoutHandler, records: readonly KafkaMessage[]): KafkaMessage[] {
    const local: KafkaMessage[] = [];
    for (const record of records) {
      const roomId = record.key?.toString('utf8');
      if (roomId === undefined || this.hasLocalRoom(roomId)) local.push(record);
      else handler.onElsewhere?.(roomId, record);
    }
    return local;
  }
}
