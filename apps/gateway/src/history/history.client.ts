import { randomUUID } from 'node:crypto';
import { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import {
  decodeRecord,
  encodeRecord,
  ErrorCode,
  HistoryPage,
  HistoryRepliesTopic,
  HistoryReply,
  ReadStateReply,
  HistoryRequest,
  HistoryRequestsTopic,
  ProtocolError,
  ReplyHeaders,
} from '@chat/contracts';
import { restartOnFatalCrash } from '@chat/kafka';
import type { Logger } from '@chat/logging';

/** A reader's position in a room: the read-state reply without its envelope. */
export type ReadState = Pick<ReadStateReply, 'readOffset' | 'unread'>;

interface Waiter {
  resolve: (reply: HistoryReply) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Asks the persister for history over Kafka (request/reply in the @nestjs/microservices header
 * convention). Each gateway reads the reply topic in a consumer group of its own and keeps only
 * the replies whose correlation id it is waiting for, so a reply always reaches the asker.
 */
export class HistoryClient {
  private readonly waiting = new Map<string, Waiter>();
  private consumer?: Consumer;
  private readonly producer: Producer;
  private readonly shutdown = new AbortController();

  constructor(
    private readonly kafka: Kafka,
    readonly groupId: string,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {
    this.producer = kafka.producer({ allowAutoTopicCreation: false });
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.consumeReplies();
  }

  private async consumeReplies(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: 100 });
    restartOnFatalCrash(consumer, { name: 'history replies', logger: this.logger, signal: this.shutdown.signal, restart: () => this.consumeReplies() });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: HistoryRepliesTopic.name, fromBeginning: false });
      // Replies are only for this process and its requests in flight: nothing to commit.
      await consumer.run({ autoCommit: false, eachMessage: (payload) => this.onReply(payload) });
      await joined;
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    this.consumer = consumer;
  }

  /** A slice of the room's persisted history. */
  async page(request: HistoryRequest & { mode: 'latest' | 'before' | 'after' }): Promise<HistoryPage> {
    const reply = await this.request(request);
    if (!('messages' in reply)) throw new ProtocolError(ErrorCode.INTERNAL, 'history service answered a page request without messages');
    return { messages: reply.messages, hasMore: reply.hasMore };
  }

  /** The user's read position in the room and how many messages came after it. */
  async readState(roomId: string, userId: string): Promise<ReadState> {
    const reply = await this.request({ mode: 'read-state', roomId, userId });
    if (!('unread' in reply)) throw new ProtocolError(ErrorCode.INTERNAL, 'history service answered a read-state request without one');
    return { readOffset: reply.readOffset, unread: reply.unread };
  }

  private async request(request: HistoryRequest): Promise<Extract<HistoryReply, { ok: true }>> {
    const correlationId = randomUUID();
    const { key, value } = encodeRecord(HistoryRequestsTopic, request);
    const reply = new Promise<HistoryReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(correlationId);
        reject(new ProtocolError(ErrorCode.UNAVAILABLE, 'history service did not answer in time'));
      }, this.timeoutMs);
      this.waiting.set(correlationId, { resolve, reject, timer });
    });
    try {
      await this.producer.send({
        topic: HistoryRequestsTopic.name,
        messages: [{ key, value, headers: { [ReplyHeaders.CorrelationId]: correlationId, [ReplyHeaders.ReplyTopic]: HistoryRepliesTopic.name } }],
      });
    } catch (error) {
      this.settle(correlationId)?.reject(new ProtocolError(ErrorCode.UNAVAILABLE, `history request failed: ${(error as Error).message}`));
    }
    const answer = await reply;
    if (!answer.ok) {
      throw answer.retryable
        ? new ProtocolError(ErrorCode.UNAVAILABLE, `history store unavailable: ${answer.error}`)
        : new ProtocolError(ErrorCode.INTERNAL, `history service refused the request: ${answer.error}`);
    }
    return answer;
  }

  async stop(): Promise<void> {
    this.shutdown.abort();
    for (const id of [...this.waiting.keys()]) this.settle(id)?.reject(new ProtocolError(ErrorCode.UNAVAILABLE, 'gateway is shutting down'));
    await this.consumer?.disconnect();
    await this.producer.disconnect();
  }

  private async onReply({ message }: EachMessagePayload): Promise<void> {
    const correlationId = message.headers?.[ReplyHeaders.CorrelationId]?.toString();
    if (!correlationId || !this.waiting.has(correlationId)) return;
    const waiter = this.settle(correlationId);
    const failure = message.headers?.[ReplyHeaders.Error]?.toString();
    if (failure) {
      waiter?.resolve({ ok: false, error: failure, retryable: false });
      return;
    }
    const decoded = decodeRecord(HistoryRepliesTopic, message.value);
    if (decoded.ok) waiter?.resolve(decoded.value);
    else {
      this.logger.error({ error: decoded.error }, 'invalid history reply');
      waiter?.reject(new ProtocolError(ErrorCode.INTERNAL, 'invalid history reply'));
    }
  }

  private settle(correlationId: string): Waiter | undefined {
    const waiter = this.waiting.get(correlationId);
    if (waiter) {
      clearTimeout(waiter.timer);
      this.waiting.delete(correlationId);
    }
    return waiter;
  }
}
