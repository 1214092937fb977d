import { Provider } from '@nestjs/common';
import { LOGGER, Logger } from '@chat/logging';
import { RecentHistoryCache } from './cache/recent-history.cache';
import { PERSISTER_CONFIG, PersisterConfig } from './config/persister.config';
import { DeadLetterPublisher } from './consuming/dead-letter.publisher';
import { PersisterMetrics } from './health/persister-metrics';
import { HistoryServer } from './history/history.server';
import { BatchProcessor } from './ingest/batch-processor';
import { IngestConsumer } from './ingest/ingest.consumer';
import { ReceiptProcessor } from './receipts/receipt-processor';
import { ReceiptsConsumer } from './receipts/receipts.consumer';
import { MessageRepository } from './storage/message.repository';
import { createPool, PG_POOL } from './storage/pg-pool';
import { PostgresReadinessCheck } from './storage/postgres-readiness.check';
import { ReadPositionRepository } from './storage/read-position.repository';

/** The persister's services by feature folder; Nest only wires them, the Lifecycle starts and stops them. */
export const persisterProviders: Provider[] = [
  // storage: the pool connects lazily, so the app starts while PostgreSQL is down.
  {
    provide: PG_POOL,
    inject: [PERSISTER_CONFIG, LOGGER],
    useFactory: (config: PersisterConfig, logger: Logger) => createPool(config.DATABASE_URL, logger),
  },
  MessageRepository,
  ReadPositionRepository,
  PostgresReadinessCheck,
  // cache
  RecentHistoryCache,
  // health: the counters /metrics serves
  PersisterMetrics,
  // consuming: the one DLQ producer every consumer shares
  DeadLetterPublisher,
  // ingest: chat.messages.v1 → PostgreSQL and the recent-history cache
  {
    provide: BatchProcessor,
    inject: [MessageRepository, RecentHistoryCache, DeadLetterPublisher],
    useFactory: (store: MessageRepository, cache: RecentHistoryCache, dlq: DeadLetterPublisher) => new BatchProcessor(store, cache, dlq),
  },
  IngestConsumer,
  // receipts: chat.signals.v1 → read positions
  {
    provide: ReceiptProcessor,
    inject: [ReadPositionRepository, DeadLetterPublisher],
    useFactory: (store: ReadPositionRepository, dlq: DeadLetterPublisher) => new ReceiptProcessor(store, dlq),
  },
  ReceiptsConsumer,
  // history: history.requests.v1 → history.replies.v1
  HistoryServer,
];
