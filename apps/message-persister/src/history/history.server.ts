import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { IHeaders, Kafka, Message as KafkaRecord, Producer } from 'kafkajs';
import { encodeRecord, HistoryRepliesTopic, HistoryReply, HistoryRequestsTopic, ReplyHeaders } from '@chat/contracts';
import { BatchConsumer, KAFKA, SourceRecord } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { CONSUMER_GROUPS, ConsumerGroups } from '../consuming/consumer-groups';
import { PersisterMetrics } from '../health/persister-metrics';
import { MessageRepository } from '../storage/message.repository';
import { ReadPositionRepository } from '../storage/read-position.repository';
import { HistoryStores, parseHistoryRequest, queryHistory } from './history-query';

/**
 * Answers history requests: consumes history.requests.v1 with the same BatchConsumer as ingest
 * and receipts (reconnects, restarts after any crash — Nest's Kafka transport did not, and a
 * Kafka outage left history unanswered until the process restarted), and replies on the
 * request's reply topic with its correlation id. Every request gets a reply, so a gateway
 * never waits out its timeout for a request this service could answer.
 */
@Injectable()
export class HistoryServer implements BeforeApplicationShutdown {
  private readonly consumer: BatchConsumer;
  private readonly producer: Producer;
  private readonly stores: HistoryStores;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    messages: MessageRepository,
    readPositions: ReadPositionRepository,
    private readonly metrics: PersisterMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONSUMER_GROUPS) groups: ConsumerGroups,
  ) {
    this.stores = { messages, readPositions };
    this.producer = kafka.producer({ allowAutoTopicCreation: false });
    this.consumer = new BatchConsumer(kafka, logger, {
      name: 'history',
      groupId: groups.history,
      topic: HistoryRequestsTopic.name,
      // A request older than the group is one nobody waits for any more.
      fromBeginning: false,
      // Partitions answered concurrently: one slow query must not hold up every other room.
      partitionsConsumedConcurrently: HistoryRequestsTopic.partitions,
      fetch: { maxWaitTimeInMs: 20 },
      prepare: () => this.producer.connect(),
      handle: (_from, records) => this.answerAll(records),
    });
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  private async answerAll(records: readonly SourceRecord[]): Promise<void> {
    const replies = (await Promise.all(records.map((record) => this.answer(record)))).filter((r) => r !== undefined);
    // Throwing leaves the batch unresolved: kafkajs redelivers it, and the requests are answered again.
    if (replies.length > 0) await this.producer.sendBatch({ topicMessages: replies });
  }

  private async answer(record: SourceRecord): Promise<{ topic: string; messages: KafkaRecord[] } | undefined> {
    const headers = textHeaders(record.headers);
    const correlationId = headers[ReplyHeaders.CorrelationId];
    const replyTopic = headers[ReplyHeaders.ReplyTopic];
    if (!correlationId || replyTopic !== HistoryRepliesTopic.name) {
      this.metrics.historyRequests.inc({ mode: 'unknown', outcome: 'unanswerable' });
      this.logger.warn({ offset: record.offset, replyTopic }, 'history request without a correlation id or known reply topic');
      return undefined;
    }
    const reply = await this.reply(record);
    const partition = headers[ReplyHeaders.ReplyPartition];
    const { value } = encodeRecord(HistoryRepliesTopic, reply);
    return {
      topic: replyTopic,
      messages: [{ value, headers: { [ReplyHeaders.CorrelationId]: correlationId }, partition: partition === undefined ? undefined : Number(partition) }],
    };
  }

  private async reply(record: SourceRecord): Promise<HistoryReply> {
    const parsed = parseHistoryRequest(record.value);
    if (!parsed.ok) {
      this.metrics.historyRequests.inc({ mode: 'unknown', outcome: 'invalid' });
      return { ok: false, error: parsed.error, retryable: false };
    }
    const { request } = parsed;
    try {
      const reply = await queryHistory(this.stores, request);
      this.metrics.historyRequests.inc({ mode: request.mode, outcome: reply.ok ? 'ok' : 'error' });
      return reply;
    } catch (error) {
      this.metrics.historyRequests.inc({ mode: request.mode, outcome: 'error' });
      this.logger.warn({ err: error, request }, 'history query failed');
      return { ok: false, error: 'history store unavailable', retryable: true };
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
    await this.producer.disconnect();
  }
}

function textHeaders(headers: IHeaders | undefined): Record<string, string | undefined> {
  const text: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers ?? {})) text[name] = value === undefined ? undefined : String(value);
  return text;
}
