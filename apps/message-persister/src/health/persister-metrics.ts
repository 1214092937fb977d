import { Inject, Injectable } from '@nestjs/common';
import { Counter, METRICS_REGISTRY, Registry } from '@chat/metrics';

@Injectable()
export class PersisterMetrics {
  readonly persisted: Counter;
  readonly duplicates: Counter;
  readonly deadLettered: Counter<'reason'>;
  readonly batchFailures: Counter;
  readonly historyRequests: Counter<'mode' | 'outcome'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.persisted = new Counter({
      name: 'persister_messages_persisted_total',
      help: 'Messages newly written to PostgreSQL',
      registers,
    });
    this.duplicates = new Counter({
      name: 'persister_messages_duplicate_total',
      help: 'Valid records not written because their messageId or (room, sender, clientMsgId) was already stored',
      registers,
    });
    this.deadLettered = new Counter({
      name: 'persister_messages_dead_lettered_total',
      help: 'Records sent to the chat.messages DLQ (reason: invalid = failed the contract, rejected = refused by PostgreSQL)',
      labelNames: ['reason'],
      registers,
    });
    this.batchFailures = new Counter({
      name: 'persister_batch_failures_total',
      help: 'Batches that failed (PostgreSQL, Redis or Kafka unavailable) and will be retried',
      registers,
    });
    this.historyRequests = new Counter({
      name: 'persister_history_requests_total',
      help: 'History requests answered, by mode and outcome',
      labelNames: ['mode', 'outcome'],
      registers,
    });
  }
}
