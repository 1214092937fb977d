import { Inject, Injectable } from '@nestjs/common';
import type { Kafka, Message as KafkaRecord, Producer } from 'kafkajs';
import { encodeRecord, HistoryRepliesTopic, HistoryReply, HistoryRequest, HistoryRequestsTopic, ReplyHeaders } from '@chat/contracts';
import { BatchConsumer, BatchSource, DeadLetter, KAFKA, SourceRecord } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { PERSISTER_CONFIG, PersisterConfig } from '../config/persister.config';
import { CONSUMER_GROUPS, ConsumerGroups } from '../consuming/consumer-groups';
import { DeadLetterPublisher } from '../consuming/dead-letter.publisher';
import { persisterIsolation } from '../consuming/isolation';
import { PersisterMetrics } from '../health/persister-metrics';
import { MessageRepository } from '../storage/message.repository';
import { ReadPositionRepository } from '../storage/read-position.repository';
import { HistoryStores, parseHistoryRequest, queryHistory } from './history-query';
import { replyRoute } from './reply-routing';

/**
 * Answers history requests: consumes history.requests.v1 with the same BatchConsumer as ingest
 * and receipts (reconnects, restarts after any crash — Nest's Kafka transport did not, and a
 * Kafka outage left history unanswered until the process restarted), and replies on the
 * request's reply topic with its correlation id. Every request gets a reply, so a gateway
 * never waits out its timeout for a request this service could answer; one that cannot be
 * answered, or breaks the contract, also goes to history.requests.v1.dlq with the reason, and a
 * reply that keeps failing to send is dead-lettered after the shared retries (ADR 0014).
 */
@Injectable()
export class HistoryServer {
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
    @Inject(PERSISTER_CONFIG) config: PersisterConfig,
    private readonly deadLetters: DeadLetterPublisher,
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
      prepare: async () => {
        await this.producer.connect();
        await deadLetters.connect();
      },
      handle: (from, records) => this.answerAll(from, records),
      // Queries never throw (a store outage is answered retryable); only sending replies can.
      isolation: persisterIsolation({ checks: [], deadLetters, maxAttempts: config.CONSUMER_MAX_BATCH_ATTEMPTS }),
    });
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  private async answerAll(from: BatchSource, records: readonly SourceRecord[]): Promise<void> {
    const answers = await Promise.all(records.map((record) => this.answer(record)));
    const letters = answers.flatMap((a) => (a.letter ? [a.letter] : []));
    const replies = answers.flatMap((a) => (a.reply ? [a.reply] : []));
    // Throwing leaves the batch unresolved: it is retried, then isolated record by record.
    if (replies.length > 0) await this.producer.sendBatch({ topicMessages: [{ topic: HistoryRepliesTopic.name, messages: replies }] });
    if (letters.length > 0) {
      this.logger.warn({ ...from, count: letters.length, first: letters[0]?.error }, 'history requests dead-lettered');
      await this.deadLetters.publish(letters, from);
    }
  }

  private async answer(record: SourceRecord): Promise<{ reply?: KafkaRecord; letter?: DeadLetter }> {
    const route = replyRoute(record.headers);
    if (!route.ok) {
      this.metrics.historyRequests.inc({ mode: 'unknown', outcome: 'unanswerable' });
      return { letter: { source: record, error: route.problem, reason: 'invalid' } };
    }
    const parsed = parseHistoryRequest(record.value);
    const reply = parsed.ok ? await this.query(parsed.request) : this.refuse(parsed.error);
    const { value } = encodeRecord(HistoryRepliesTopic, reply);
    return {
      reply: { value, headers: { [ReplyHeaders.CorrelationId]: route.correlationId }, partition: route.partition },
      letter: parsed.ok ? undefined : { source: record, error: parsed.error, reason: 'invalid' },
    };
  }

  private refuse(error: string): HistoryReply {
    this.metrics.historyRequests.inc({ mode: 'unknown', outcome: 'invalid' });
    return { ok: false, error, retryable: false };
  }

  private async query(request: HistoryRequest): Promise<HistoryReply> {
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

  /** Answers what is in flight, then stops consuming and sending replies. */
  async stop(): Promise<void> {
    await this.consumer.stop();
    await this.producer.disconnect();
  }
}
