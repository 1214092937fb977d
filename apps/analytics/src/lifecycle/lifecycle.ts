import { BeforeApplicationShutdown, Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { LOGGER, Logger } from '@chat/logging';
import { AnalyticsConsumers } from '../ingest/analytics.consumers';
import { StartupSequence } from './startup';

/**
 * Graceful shutdown: stop start-up retries, then the consumers after their in-flight batches
 * (committed). HTTP and Redis close after (Nest, RedisModule). A shutdown cut short loses
 * nothing and counts nothing twice: Redis holds each partition's applied offset.
 */
@Injectable()
export class Lifecycle implements OnModuleDestroy, BeforeApplicationShutdown {
  constructor(
    private readonly startup: StartupSequence,
    private readonly consumers: AnalyticsConsumers,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleDestroy(): void {
    this.logger.info('shutting down: consumers stop after their in-flight batches');
    this.startup.abort();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumers.stop();
  }
}
