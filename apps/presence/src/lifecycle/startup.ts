import { Inject, Injectable } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';
import { ALL_TOPICS, PresenceEventsTopic } from '@chat/contracts';
import { RetryAbortedError, retryUntilDone, StartupProgress } from '@chat/bootstrap';
import { ensureTopics, KAFKA, partitionCount } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { PRESENCE_CONFIG, PresenceConfig } from '../config/presence.config';
import { PresenceConsumer } from '../ingest/presence.consumer';
import { PresenceLeader } from '../leader/presence.leader';
import { PRESENCE_PRODUCER } from '../state/tokens';

/**
 * What needs Kafka, brought up after HTTP listens so /health answers (not ready) while a
 * dependency is still down: topics, the producer, then the leader (it may have an outbox to
 * publish from before a restart) and the consumer.
 */
@Injectable()
export class StartupSequence {
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PRESENCE_PRODUCER) private readonly producer: Producer,
    @Inject(PRESENCE_CONFIG) private readonly config: PresenceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly leader: PresenceLeader,
    private readonly consumer: PresenceConsumer,
    private readonly progress: StartupProgress,
  ) {}

  async run(): Promise<void> {
    const options = { signal: this.shutdown.signal, logger: this.logger };
    try {
      this.progress.step('kafka topics and producer');
      const created = await retryUntilDone('kafka topics', () => ensureTopics(this.kafka, ALL_TOPICS, this.config.KAFKA_REPLICATION_FACTOR), options);
      this.logger.info({ created }, 'kafka topics exist');
      await retryUntilDone('kafka producer', () => this.producer.connect(), options);
      const partitions = await retryUntilDone('presence.events partitions', () => partitionCount(this.kafka, PresenceEventsTopic.name), options);
      this.leader.start(partitions);
      this.progress.step('presence consumer');
      await this.consumer.start();
      this.progress.finish();
    } catch (error) {
      if (error instanceof RetryAbortedError) {
        this.logger.info(error.message);
        return;
      }
      throw error;
    }
  }

  /** Shutdown began: stop retrying start-up steps. */
  abort(): void {
    this.shutdown.abort();
  }
}
