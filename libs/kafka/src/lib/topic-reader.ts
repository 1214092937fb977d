import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';

export interface ReadRecord {
  partition: number;
  message: KafkaMessage;
  headers: Record<string, string>;
  /** Epoch ms this process received it. */
  receivedAt: number;
}

/**
 * For integration tests: reads a topic with a throw-away group and keeps every record, so a test
 * can wait for the ones it produced. By default from the topic's current end: the end offsets
 * are taken before the group joins and sought to once it runs, so nothing produced after `start`
 * resolves is missed. `fromBeginning` reads the whole topic instead.
 */
export class TopicReader {
  readonly records: ReadRecord[] = [];
  private readonly consumer: Consumer;
  private readonly groupId: string;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly options: { fromBeginning?: boolean } = {},
  ) {
    this.groupId = `it-reader-${topic}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
    this.consumer = kafka.consumer({ groupId: this.groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 50 });
  }

  async start(): Promise<this> {
    const ends = this.options.fromBeginning ? [] : await this.endOffsets();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.topic], fromBeginning: this.options.fromBeginning ?? false });
    await this.consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) {
          if (value !== undefined) headers[name] = value.toString();
        }
        this.records.push({ partition, message, headers, receivedAt: Date.now() });
      },
    });
    for (const { partition, offset } of ends) this.consumer.seek({ topic: this.topic, partition, offset });
    return this;
  }

  /** A topic created a moment ago may not have its leaders yet (NOT_LEADER_FOR_PARTITION): retried. */
  private async endOffsets(): Promise<Array<{ partition: number; offset: string }>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await admin.fetchTopicOffsets(this.topic);
        } catch (error) {
          if (!(error as { retriable?: boolean }).retriable || attempt >= 40) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    } finally {
      await admin.disconnect();
    }
  }

  async waitFor(match: (record: ReadRecord) => boolean, timeoutMs = 30_000): Promise<ReadRecord> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.records.find(match);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no matching record on ${this.topic} within ${timeoutMs} ms`);
  }

  /** Also deletes the throw-away group so test runs do not pile groups up in the cluster. */
  async stop(): Promise<void> {
    await this.consumer.disconnect();
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.deleteGroups([this.groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
