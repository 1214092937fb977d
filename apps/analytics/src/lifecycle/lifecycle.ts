import { BeforeApplicationShutdown, Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { StartupProgress, StartupSequence } from '@chat/bootstrap';
import { ALL_TOPICS } from '@chat/contracts';
import { ensureTopics, KAFKA } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../config/analytics.config';
import { SummaryStream } from '../dashboard/summary-stream';
import { AnalyticsConsumers } from '../ingest/analytics.consumers';

/**
 * Start order and stop order in one place. Start, after HTTP listens so /health answers (not
 * ready) while Kafka is down: topics, then consumers. Stop: start-up retries and the dashboards' streams, then the consumers
 * after their in-flight batches (committed); HTTP and Redis close after (Nest, RedisModule). A
 * shutdown cut short loses nothing and counts nothing twice: Redis holds each partition's applied offset.
 */
@Injectable()
export class Lifecycle implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly startup: StartupSequence;

  constructor(
    @Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly consumers: AnalyticsConsumers,
    private readonly dashboards: SummaryStream,
    progress: StartupProgress,
  ) {
    this.startup = new StartupSequence(progress, logger);
  }

  /** Called by main.ts once HTTP listens; retries each step until it succeeds or shutdown begins. */
  start(): Promise<void> {
    return this.startup.run(async () => {
      this.startup.phase('kafka topics');
      const created = await this.startup.retry('kafka topics', () => ensureTopics(this.kafka, ALL_TOPICS, this.config.KAFKA_REPLICATION_FACTOR));
      this.logger.info({ created }, 'kafka topics exist');
      this.startup.phase('analytics consumers');
      await this.consumers.start();
    });
  }

  onModuleDestroy(): void {
    this.logger.info('shutting down: consumers stop after their in-flight batches');
    this.startup.abort();
    // Open streams would hold HTTP's close until each browser goes away.
    this.dashboards.closeAll();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumers.stop();
  }
}
