import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { ALL_TOPICS } from '@chat/contracts';
import { RetryAbortedError, retryUntilDone, StartupProgress } from '@chat/bootstrap';
import { ensureTopics, KAFKA } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { PERSISTER_CONFIG, PersisterConfig } from '../config/persister.config';
import { IngestConsumer } from '../ingest/ingest.consumer';
import { ReceiptsConsumer } from '../receipts/receipts.consumer';
import { HistoryServer } from '../history/history.server';
import { MIGRATIONS } from '../storage/migrations';
import { prepareSchema } from '../storage/migration-runner';
import { PG_POOL } from '../storage/pg-pool';

/**
 * What needs PostgreSQL and Kafka, brought up after HTTP listens so /health answers (not ready)
 * while a dependency is still down: schema, topics, then the ingest and receipts consumers,
 * and history consumers (they subscribe to topics that must already exist).
 */
@Injectable()
export class StartupSequence implements OnModuleDestroy {
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PERSISTER_CONFIG) private readonly config: PersisterConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly ingest: IngestConsumer,
    private readonly receipts: ReceiptsConsumer,
    private readonly history: HistoryServer,
    private readonly progress: StartupProgress,
  ) {}

  async run(): Promise<void> {
    const options = { signal: this.shutdown.signal, logger: this.logger };
    try {
      this.progress.step('database migrations');
      const applied = await retryUntilDone(
        'database migrations',
        () => prepareSchema(this.pool, MIGRATIONS, this.config.MIGRATE_ON_START, this.logger),
        options,
      );
      this.logger.info({ applied }, 'database schema is up to date');
      this.progress.step('kafka topics and consumers');
      const created = await retryUntilDone(
        'kafka topics',
        () => ensureTopics(this.kafka, ALL_TOPICS, this.config.KAFKA_REPLICATION_FACTOR),
        options,
      );
      this.logger.info({ created }, 'kafka topics exist');
      await Promise.all([this.ingest.start(), this.receipts.start(), this.history.start()]);
      this.progress.finish();
    } catch (error) {
      if (error instanceof RetryAbortedError) {
        this.logger.info(error.message);
        return;
      }
      throw error;
    }
  }

  /** The first shutdown hook: stop retrying start-up steps before anything is torn down. */
  onModuleDestroy(): void {
    this.logger.info('shutting down: ingest, receipts and history stop after their in-flight batches, then HTTP, PostgreSQL, Redis');
    this.shutdown.abort();
  }
}
