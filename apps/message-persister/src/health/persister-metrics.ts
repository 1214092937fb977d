import { Inject, Injectable } from '@nestjs/common';
import { Counter, METRICS_REGISTRY, Registry } from '@chat/metrics';

@Injectable()
export class PersisterMetrics {
  readonly persisted: Counter;
  readonly duplicates: Counter;
  readonly deadLettered: Counter<'reason'>;
  readonly batchFailures: Counter<'consumer'>;
  readonly historyRequests: Counter<'mode' | 'outcome'>;
  readonly signalsConsumed: Counter<'type'>;
  readonly signalsDeadLettered: Counter;
  readonly readPositionsAdvanced: Counter;

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
      help: 'Records sent to the chat.messages DLQ (reason: invalid = failed the contract, rejected = refused by PostgreSQL, failed = kept failing alone after retries)',
      labelNames: ['reason'],
      registers,
    });
    this.batchFailures = new Counter({
      name: 'persister_batch_failures_total',
      help: 'Batches that failed (PostgreSQL, Redis or Kafka unavailable) and will be retried, by consumer (ingest, receipts)',
      labelNames: ['consumer'],
      registers,
    });
    this.historyRequests = new Counter({
      name: 'persister_history_requests_total',
      help: 'History requests answered, by mode and outcome',
      labelNames: ['mode', 'outcome'],
      registers,
    });
    this.signalsConsumed = new Counter({
      name: 'persister_signals_consumed_total',
      help: 'Valid chat.signals records consumed, by type (receipt; typing is ephemeral and ignored)',
      labelNames: ['type'],
      registers,
    });
    this.signalsDeadLettered = new Counter({
      name: 'persister_signals_dead_lettered_total',
      help: 'chat.signals records sent to its DLQ: they failed the contract or kept failing alone after retries',
      registers,
    });
    this.readPositionsAdvanced = new Counter({
      name: 'persister_read_positions_advanced_total',
      help: 'Read positions created or moved forward in PostgreSQL (receipts at or behind the stored position change nothing)',
      registers,
    });
  }
}
