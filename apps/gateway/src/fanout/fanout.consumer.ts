import { Batch, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from '@chat/logging';

/** Handles one topic's records for the local sockets. */
export interface FanoutHandler {
  readonly topic: string;
  onBatch(batch: Batch): void;
}

/**
 * Consumes every fan-out topic (messages, signals, presence changes) in one consumer group of
 * this instance alone, so every gateway sees every record and pushes it to its local sockets.
 * Nothing here has a side effect beyond this process, so nothing is committed at all (kafkajs
 * would otherwise commit after every partition batch — most of a gateway's Kafka requests under
 * load): a restarted gateway starts at the end and its clients recover through room:join sinceOffset.
 */
export class FanoutConsumer {
  private readonly consumer: Consumer;
  private readonly handlers: Map<string, FanoutHandler>;

  constructor(
    kafka: Kafka,
    readonly groupId: string,
    handlers: readonly FanoutHandler[],
    private readonly logger: Logger,
    fetchWaitMs: number,
  ) {
    // A fetch returns after fetchWaitMs (or 1 MiB), not on the first byte: with minBytes 1 every
    // Produce of any gateway woke a Fetch here — hundreds a second under load, each costing this
    // process and the broker more than the records in it. The price is ≤ fetchWaitMs of latency.
    this.consumer = kafka.consumer({ groupId, minBytes: 1024 * 1024, maxWaitTimeInMs: fetchWaitMs });
    this.handlers = new Map(handlers.map((h) => [h.topic, h]));
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.handlers.keys()], fromBeginning: false });
    const joined = new Promise<void>((resolve) => this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve()));
    await this.consumer.run({ autoCommit: false, eachBatch: (payload) => this.onBatch(payload) });
    await joined;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  private async onBatch({ batch }: EachBatchPayload): Promise<void> {
    try {
      this.handlers.get(batch.topic)?.onBatch(batch);
    } catch (error) {
      // A bug in one handler must not stall the partition for every socket on this gateway.
      this.logger.error({ err: error, topic: batch.topic, partition: batch.partition }, 'fan-out handler failed');
    }
  }
}
