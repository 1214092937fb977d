import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { StartupProgress, StartupSequence } from '@chat/bootstrap';
import { ALL_TOPICS } from '@chat/contracts';
import { ensureTopics, KAFKA } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { PERSISTER_CONFIG, PersisterConfig } from '../config/persister.config';
import { DeadLetterPublisher } from '../consuming/dead-letter.publisher';
import { HistoryServer } from '../history/history.server';
import { IngestConsumer } from '../ingest/ingest.consumer';
import { ReceiptsConsumer } from '../receipts/receipts.consumer';
import { prepareSchema } from '../storage/migration-runner';
import { MIGRATIONS } from '../storage/migrations';
import { PG_POOL } from '../storage/pg-pool';

/**
 * The persister's start order and stop order, the one place either is decided (its components
 * only have start() and stop()). Start, after HTTP listens so /health answers (not ready) while
 * a dependency is down: schema, topics, then the ingest and receipts consumers and the history
 * server (they subscribe to topics that must already exist). Stop: see beforeApplicationShutdown.
 */
@Injectable()
export class Lifecycle implements OnModuleDestroy, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly startup: StartupSequence;

  constructor(
    @Inject(PERSISTER_CONFIG) private readonly config: PersisterConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly ingest: IngestConsumer,
    private readonly receipts: ReceiptsConsumer,
    private readonly history: HistoryServer,
    private readonly deadLetters: DeadLetterPublisher,
    progress: StartupProgress,
  ) {
    this.startup = new StartupSequence(progress, logger);
  }

  /** Called by main.ts once HTTP listens; retries each step until it succeeds or shutdown begins. */
  start(): Promise<void> {
    return this.startup.run(async () => {
      this.startup.phase('database migrations');
      const applied = await this.startup.retry('database migrations', () =>
        prepareSchema(this.pool, MIGRATIONS, this.config.MIGRATE_ON_START, this.logger),
      );
      this.logger.info({ applied }, 'database schema is up to date');
      this.startup.phase('kafka topics and consumers');
      const created = await this.startup.retry('kafka topics', () => ensureTopics(this.kafka, ALL_TOPICS, this.config.KAFKA_REPLICATION_FACTOR));
      this.logger.info({ created }, 'kafka topics exist');
      await Promise.all([this.ingest.start(), this.receipts.start(), this.history.start()]);
    });
  }

  /** The first shutdown hook: stop retrying start-up steps before anything is torn down. */
  onModuleDestroy(): void {
    this.logger.info('shutting down: ingest and receipts stop after their in-flight batches, then history, the DLQ producer, HTTP, PostgreSQL, Redis');
    this.startup.abort();
  }

  /**
   * Before HTTP closes: ingest and receipts finish their in-flight batches and commit them; then
   * the history server (it answers until then); then the DLQ producer, which any of them may
   * have used for a last batch, is flushed.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.ingest.stop(), this.receipts.stop()]);
    await this.history.stop();
    await this.deadLetters.stop();
  }

  /** After HTTP has closed (Redis and Kafka's admin connection close in their own modules). */
  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
