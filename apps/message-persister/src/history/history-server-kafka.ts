import { KafkaContext, KafkaOptions, ServerKafka } from '@nestjs/microservices';
import type { OutgoingResponse } from '@nestjs/microservices';
import type { EachMessagePayload, IHeaders, KafkaMessage, RecordMetadata } from 'kafkajs';
import { HistoryRepliesTopic, ReplyHeaders } from '@chat/contracts';
import { backoffMs, BatchSource, DEFAULT_ISOLATION, DeadLetter, describeError, SourceRecord } from '@chat/kafka';
import type { Logger } from '@chat/logging';
import type { DeadLetterSink } from '../consuming/dead-letter.publisher';

const REPLY_PARTITION_HEADER = 'kafka_replyPartition';

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return value === undefined ? undefined : String(value);
}

/**
 * Why a request cannot be answered, or null. Nest would drop a request without reply headers as
 * an "event", and a reply to a topic or partition that does not exist rejects outside any handler.
 */
export function unanswerable(headers: IHeaders | undefined): string | null {
  if (!header(headers, ReplyHeaders.CorrelationId)) return `no ${ReplyHeaders.CorrelationId} header: the request cannot be answered`;
  const topic = header(headers, ReplyHeaders.ReplyTopic);
  if (topic !== HistoryRepliesTopic.name) return `${ReplyHeaders.ReplyTopic} ${JSON.stringify(topic ?? null)} is not ${HistoryRepliesTopic.name}`;
  const partition = header(headers, REPLY_PARTITION_HEADER);
  if (partition !== undefined && !(/^\d{1,5}$/.test(partition) && Number(partition) < HistoryRepliesTopic.partitions)) {
    return `${REPLY_PARTITION_HEADER} ${JSON.stringify(partition)} is not a partition of ${HistoryRepliesTopic.name}`;
  }
  return null;
}

/** The request as consumed (the transport keeps its value binary; key and headers arrive decoded). */
export function sourceOf(message: KafkaMessage | (Omit<KafkaMessage, 'key'> & { key: unknown })): SourceRecord {
  const { key, value, offset, timestamp, headers } = message;
  return { key: key === null || key === undefined ? null : Buffer.from(String(key)), value, offset, timestamp, headers };
}

/**
 * Nest's Kafka server, with the dead-letter rules of the other consumers: a request that cannot
 * be answered, or whose reply keeps failing to send, goes to history.requests.v1.dlq instead of
 * being dropped silently or rejecting where nothing catches it (which would end the process).
 */
export class HistoryServerKafka extends ServerKafka {
  constructor(
    options: NonNullable<KafkaOptions['options']>,
    private readonly deadLetters: () => DeadLetterSink & { connect(): Promise<void> },
    private readonly log: Logger,
  ) {
    super(options);
  }

  override async handleMessage(payload: EachMessagePayload): Promise<void> {
    const problem = unanswerable(payload.message.headers);
    if (!problem) return super.handleMessage(payload);
    await this.deadLetter({ topic: payload.topic, partition: payload.partition, groupId: this.groupId }, {
      source: sourceOf(payload.message),
      error: problem,
      reason: 'invalid',
    });
  }

  override async sendMessage(
    message: OutgoingResponse,
    replyTopic: string,
    replyPartition: string | undefined | null,
    correlationId: string,
    context: KafkaContext,
  ): Promise<RecordMetadata[]> {
    const { maxAttempts } = DEFAULT_ISOLATION;
    for (let attempt = 1; ; attempt++) {
      try {
        return await super.sendMessage(message, replyTopic, replyPartition, correlationId, context);
      } catch (error) {
        if (attempt >= maxAttempts) {
          const { type, message: text } = describeError(error);
          await this.deadLetter(
            { topic: context.getTopic(), partition: context.getPartition(), groupId: this.groupId },
            { source: sourceOf(context.getMessage()), error: `reply could not be sent: ${text}`, reason: 'failed', errorType: type, attempts: attempt },
          );
          return [];
        }
        await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt, DEFAULT_ISOLATION)));
      }
    }
  }

  /** Never throws: the request is ephemeral, and a throw here would stall or end the server. */
  async deadLetter(from: BatchSource, letter: DeadLetter): Promise<void> {
    this.log.warn({ ...from, offset: letter.source.offset, reason: letter.reason, error: letter.error }, 'history request dead-lettered');
    try {
      const sink = this.deadLetters();
      await sink.connect();
      await sink.publish([letter], from);
    } catch (error) {
      this.log.error({ err: error, ...from, offset: letter.source.offset }, 'could not dead-letter a history request');
    }
  }
}
