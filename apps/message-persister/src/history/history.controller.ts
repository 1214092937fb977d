import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { HistoryReply, HistoryRequestsTopic } from '@chat/contracts';
import { LOGGER, Logger } from '@chat/logging';
import { MessageRepository } from '../storage/message.repository';
import { ReadPositionRepository } from '../storage/read-position.repository';
import { PersisterMetrics } from '../health/persister-metrics';
import { HistoryStores, parseHistoryRequest, queryHistory } from './history-query';

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
  ) {
    this.stores = { messages, readPositions };
  }

  @MessagePattern(HistoryRequestsTopic.name)
  async handle(@Payload() data: unknown): Promise<HistoryReply> {
    const parsed = parseHistoryRequest(data);
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
}
