import { Controller, Inject } from '@nestjs/common';
import { Ctx, KafkaContext, MessagePattern, Payload } from '@nestjs/microservices';
import { HistoryReply, HistoryRequestsTopic } from '@chat/contracts';
import { LOGGER, Logger } from '@chat/logging';
import { MessageRepository } from '../storage/message.repository';
import { ReadPositionRepository } from '../storage/read-position.repository';
import { PersisterMetrics } from '../health/persister-metrics';
import { HistoryStores, parseHistoryRequest, queryHistory } from './history-query';
import { DeadLetterPublisher } from '../consuming/dead-letter.publisher';
import { HISTORY_GROUP_ID } from './history-server';
import { sourceOf } from './history-server-kafka';

/**
 * Request/reply over Kafka: Nest's ServerKafka answers on the request's kafka_replyTopic (and
 * kafka_replyPartition when given) with its kafka_correlationId. Every request gets a reply,
 * so a gateway never waits out its timeout for a request this service could answer.
 */
@Controller()
export class HistoryController {
  private readonly stores: HistoryStores;

  constructor(
    messages: MessageRepository,
    readPositions: ReadPositionRepository,
    private readonly metrics: PersisterMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly deadLetters: DeadLetterPublisher,
  ) {
    this.stores = { messages, readPositions };
  }

  @MessagePattern(HistoryRequestsTopic.name)
  async handle(@Payload() data: unknown, @Ctx() context: KafkaContext): Promise<HistoryReply> {
    const parsed = parseHistoryRequest(data);
    if (!parsed.ok) {
      this.metrics.historyRequests.inc({ mode: 'unknown', outcome: 'invalid' });
      await this.deadLetterInvalid(context, parsed.error);
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

  /** Answered all the same; the DLQ keeps it for whoever sent a request the contract refuses. */
  private async deadLetterInvalid(context: KafkaContext, error: string): Promise<void> {
    const from = { topic: context.getTopic(), partition: context.getPartition(), groupId: HISTORY_GROUP_ID };
    try {
      await this.deadLetters.connect();
      await this.deadLetters.publish([{ source: sourceOf(context.getMessage()), error, reason: 'invalid' }], from);
    } catch (failure) {
      this.logger.warn({ err: failure, ...from }, 'could not dead-letter an invalid history request');
    }
  }
}
