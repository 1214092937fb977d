import { PartitionMetadata, Partitioners, Producer, RecordMetadata } from 'kafkajs';
import { ChatMessageRecord, ChatMessagesTopic, encodeRecord, ErrorCode, ProtocolError } from '@chat/contracts';

interface PendingSend {
  key: string;
  value: string;
  partition: number;
  deadline: number;
  resolve: (offset: number) => void;
  reject: (error: Error) => void;
}

const MAX_BATCH = 500;

/**
 * Publishes chat messages through one idempotent producer, batching whatever queued while the
 * previous request was in flight. The partition is chosen here (Kafka's default murmur2
 * partitioner on roomId), so each message's offset is its partition's base offset plus its
 * position in that partition's part of the batch.
 */
export class MessagePublisher {
  private readonly queue: PendingSend[] = [];
  private readonly partitioner = Partitioners.DefaultPartitioner();
  /** Empty until connect(): sends before then are refused with UNAVAILABLE. */
  private partitionMetadata: PartitionMetadata[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;

  private producer: Producer;
  /** Set when the producer was replaced and the new one has not connected yet. */
  private reconnect = false;

  constructor(
    /** A new idempotent producer each call: one whose sequence state the broker refuses is replaced. */
    private readonly createProducer: () => Producer,
    private readonly queueLimit: number,
    /**
     * How long the first send of a batch waits for company (Kafka's own producers default to
     * linger.ms=5 since 4.0): fewer, larger Produce requests cost the broker and this process
     * less than one request per message. 0: only to the end of the event-loop turn.
     */
    private readonly lingerMs = 0,
  ) {
    this.producer = createProducer();
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
    if (this.queue.length >= this.queueLimit) {
      return Promise.reject(new ProtocolError(ErrorCode.UNAVAILABLE, 'message log is not keeping up; retry'));
    }
    const { key, value } = encodeRecord(ChatMessagesTopic, record);
    const partition = this.partitionFor(key as string);
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ key: key as string, value, partition, deadline, resolve, reject });
      this.flushing ??= this.flushAll();
    });
  }

  /** Stops taking sends, waits until every queued one has been answered, then flushes the producer. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing) await this.flushing;
    await this.producer.disconnect();
  }

  private partitionFor(key: string): number {
    return this.partitioner({ topic: ChatMessagesTopic.name, partitionMetadata: this.partitionMetadata, message: { key, value: null } });
  }

  private async flushAll(): Promise<void> {
    // Linger (at least to the end of this event-loop turn), so that the sends arriving meanwhile
    // join the first batch and `flushing` is assigned before this can finish; then the last
    // empty-queue check and the reset below run in one synchronous step, leaving no window in
    // which a new send could be queued with nobody flushing it. Later batches need no linger:
    // they gathered while the previous request was in flight.
    await new Promise<void>((resolve) => (this.lingerMs > 0 ? setTimeout(resolve, this.lingerMs) : setImmediate(resolve)));
    try {
      while (this.queue.length > 0) {
        const batch = this.takeLiveBatch();
        if (batch.length > 0) await this.send(batch);
      }
    } finally {
      this.flushing = null;
    }
  }

  /** Sends whose client already got UNAVAILABLE are not produced: the client retries them. */
  private takeLiveBatch(): PendingSend[] {
    const now = Date.now();
    const batch: PendingSend[] = [];
    for (const pending of this.queue.splice(0, MAX_BATCH)) {
      if (pending.deadline > now) batch.push(pending);
      else pending.reject(new ProtocolError(ErrorCode.UNAVAILABLE, 'message log did not acknowledge in time'));
    }
    return batch;
  }

  private async send(batch: PendingSend[]): Promise<void> {
    let metadata: RecordMetadata[];
    try {
      if (this.reconnect) {
        await this.producer.connect();
        this.reconnect = false;
      }
      metadata = await this.producer.send({
        topic: ChatMessagesTopic.name,
        acks: -1,
        messages: batch.map(({ key, value, partition }) => ({ key, value, partition })),
      });
    } catch (error) {
      const failure = new ProtocolError(ErrorCode.UNAVAILABLE, `message log unavailable: ${(error as Error).message}`);
      for (const pending of batch) pending.reject(failure);
      if (hasLostProducerState(error)) await this.replaceProducer();
      return;
    }
    const next = new Map(metadata.map((m) => [m.partition, Number(m.baseOffset)]));
    for (const pending of batch) {
      const offset = next.get(pending.partition);
      if (offset === undefined) {
        pending.reject(new ProtocolError(ErrorCode.INTERNAL, 'no offset returned for the partition'));
        continue;
      }
      next.set(pending.partition, offset + 1);
      pending.resolve(offset);
    }
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
