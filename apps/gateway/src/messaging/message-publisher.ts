import { PartitionMetadata, Partitioners, Producer, RecordMetadata } from 'kafkajs';
import { ChatMessageRecord, ChatMessagesTopic, ErrorCode, ProtocolError } from '@chat/contracts';
import { InFlightBatcher, Outcome, produce } from '@chat/kafka';

interface PendingSend {
  record: ChatMessageRecord;
  partition: number;
  deadline: number;
}

const MAX_BATCH = 500;

/**
 * Publishes chat messages through one idempotent producer, batching whatever queued while the
 * previous request was in flight. The partition is chosen here (Kafka's default murmur2
 * partitioner on roomId), so each message's offset is its partition's base offset plus its
 * position in that partition's part of the batch.
 */
export class MessagePublisher {
  private readonly batcher: InFlightBatcher<PendingSend, number>;
  private readonly partitioner = Partitioners.DefaultPartitioner();
  /** Empty until connect(): sends before then are refused with UNAVAILABLE. */
  private partitionMetadata: PartitionMetadata[] = [];
  private closed = false;

  private producer: Producer;
  /** Set when the producer was replaced and the new one has not connected yet. */
  private reconnect = false;
  /** The old producer's disconnect after a replacement: the next batch waits for it. */
  private replacing: Promise<void> = Promise.resolve();

  constructor(
    /** A new idempotent producer each call: one whose sequence state the broker refuses is replaced. */
    private readonly createProducer: () => Producer,
    queueLimit: number,
    /**
     * How long the first send of a batch waits for company (Kafka's own producers default to
     * linger.ms=5 since 4.0): fewer, larger Produce requests cost the broker and this process
     * less than one request per message. 0: only to the end of the event-loop turn.
     */
    lingerMs = 0,
  ) {
    this.producer = createProducer();
    this.batcher = new InFlightBatcher({
      send: (batch) => this.send(batch),
      maxBatch: MAX_BATCH,
      lingerMs,
      queueLimit,
      fullError: () => new ProtocolError(ErrorCode.UNAVAILABLE, 'message log is not keeping up; retry'),
      // Sends whose client already got UNAVAILABLE are not produced: the client retries them.
      expired: ({ deadline }, now) => (deadline > now ? undefined : new ProtocolError(ErrorCode.UNAVAILABLE, 'message log did not acknowledge in time')),
    });
  }

  /** Connects the producer; `partitions` is the topic's partition count as the cluster has it. */
  async connect(partitions: number): Promise<void> {
    await this.producer.connect();
    // The default partitioner only needs the partition count for keyed messages.
    this.partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      partitionErrorCode: 0,
      replicas: [0],
      isr: [0],
    }));
  }

  /** Resolves with the message's Kafka offset once every in-sync replica has it. */
  publish(record: ChatMessageRecord, deadline: number): Promise<number> {
    if (this.closed) return Promise.reject(new ProtocolError(ErrorCode.UNAVAILABLE, 'gateway is shutting down'));
    if (this.partitionMetadata.length === 0) return Promise.reject(new ProtocolError(ErrorCode.UNAVAILABLE, 'message log not connected yet'));
    return this.batcher.add({ record, partition: this.partitionFor(record), deadline });
  }

  /** Stops taking sends, waits until every queued one has been answered, then flushes the producer. */
  async close(): Promise<void> {
    this.closed = true;
    await this.batcher.idle();
    await this.replacing;
    await this.producer.disconnect();
  }

  private partitionFor(record: ChatMessageRecord): number {
    const key = ChatMessagesTopic.key(record);
    return this.partitioner({ topic: ChatMessagesTopic.name, partitionMetadata: this.partitionMetadata, message: { key, value: null } });
  }

  private async send(batch: readonly PendingSend[]): Promise<Outcome<number>[]> {
    let metadata: RecordMetadata[];
    try {
      await this.replacing;
      if (this.reconnect) {
        await this.producer.connect();
        this.reconnect = false;
      }
      metadata = await produce(
        this.producer,
        ChatMessagesTopic,
        batch.map((p) => p.record),
        { acks: -1, routes: batch.map((p) => ({ partition: p.partition })) },
      );
    } catch (error) {
      // Its batch is failed at once; the next one waits for the new producer.
      if (hasLostProducerState(error)) this.replacing = this.replaceProducer();
      throw new ProtocolError(ErrorCode.UNAVAILABLE, `message log unavailable: ${(error as Error).message}`);
    }
    const next = new Map(metadata.map((m) => [m.partition, Number(m.baseOffset)]));
    return batch.map(({ partition }): Outcome<number> => {
      const offset = next.get(partition);
      if (offset === undefined) return { ok: false, error: new ProtocolError(ErrorCode.INTERNAL, 'no offset returned for the partition') };
      next.set(partition, offset + 1);
      return { ok: true, value: offset };
    });
  }

  /**
   * After a broker restart kafkajs' idempotent producer can keep a sequence number the broker
   * refuses (OUT_OF_ORDER_SEQUENCE_NUMBER) and fail every send for tens of seconds: a new
   * producer gets a new producer id. A retried send may then be written twice under its one
   * messageId, which the persister and clients dedupe (ADR 0003).
   */
  private async replaceProducer(): Promise<void> {
    const old = this.producer;
    this.producer = this.createProducer();
    this.reconnect = true;
    await old.disconnect().catch(() => undefined);
  }
}

const LOST_STATE = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH']);

/** kafkajs wraps the broker's error (in originalError, or cause) once retries run out. */
function hasLostProducerState(error: unknown): boolean {
  for (let e = error as { type?: string; originalError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.type && LOST_STATE.has(e.type)) return true;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return false;
}
