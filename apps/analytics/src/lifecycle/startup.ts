import { Inject, Injectable } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { ALL_TOPICS } from '@chat/contracts';
import { RetryAbortedError, retryUntilDone, StartupProgress } from '@chat/bootstrap';
import { ensureTopics, KAFKA } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../config/analytics.config';
import { AnalyticsConsumers } from '../ingest/analytics.consumers';

/** After HTTP listens, so /health answers (not ready) while Kafka is down: topics, then consumers. */
@Injectable()
export class StartupSequence {
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly consumers: AnalyticsConsumers,
    private readonly progress: StartupProgress,
  ) {}

  async run(): Promise<void> {
    try {
      this.progress.step('kafka topics');
      const created = await retryUntilDone('kafka topics', () => ensureTopics(this.kafka, ALL_TOPICS, this.config.KAFKA_REPLICATION_FACTOR), {
        signal: this.shutdown.signal,
        logger: this.logger,
      });
      this.logger.info({ created }, 'kafka topics exist');
      this.progress.step('analytics consumers');
      await this.consumers.start();
      this.progress.finish();
    } catch (error) {
      if (error instanceof RetryAbortedError) {
        this.logger.info(error.message);
        return;
      }
      throw error;
    }
  }

  abort(): void {
    this.shutdown.abort();
  }
}
