import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { HistoryRepliesTopic, HistoryRequestsTopic, ReplyHeaders } from '@chat/contracts';
import { ReadRecord, TopicReader } from '@chat/kafka';

/** Asks the persister over Kafka like a gateway does, and reads the replies. */
export class HistoryRequester {
  private readonly producer: Producer;
  private replies?: TopicReader;

  constructor(private readonly kafka: Kafka) {
    this.producer = kafka.producer({ allowAutoTopicCreation: false });
  }

  async start(): Promise<this> {
    await this.producer.connect();
    this.replies = await new TopicReader(this.kafka, HistoryRepliesTopic.name, { fromBeginning: true }).start();
    return this;
  }

  /**
   * A brand-new history group starts at the latest offset once it has joined, so the first
   * request of a first-ever run may predate the join: resend until answered.
   */
  async request(roomId: string, value: unknown, headers: Record<string, string> = {}): Promise<ReadRecord> {
    const replies = this.replies;
    if (!replies) throw new Error('HistoryRequester not started');
    const deadline = Date.now() + 45_000;
    for (;;) {
      const correlationId = randomUUID();
      await this.producer.send({
        topic: HistoryRequestsTopic.name,
        messages: [
          {
            key: roomId,
            value: typeof value === 'string' ? value : JSON.stringify(value),
            headers: { [ReplyHeaders.CorrelationId]: correlationId, [ReplyHeaders.ReplyTopic]: HistoryRepliesTopic.name, ...headers },
          },
        ],
      });
      try {
        return await replies.waitFor((r) => r.headers[ReplyHeaders.CorrelationId] === correlationId, 3000);
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
    await this.replies?.stop();
  }
}

export function replyBody(reply: ReadRecord): unknown {
  return JSON.parse(reply.message.value?.toString() ?? 'null');
}
