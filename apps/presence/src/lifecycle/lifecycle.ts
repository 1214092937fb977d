import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';
import { StartupProgress, StartupSequence } from '@chat/bootstrap';
import { ALL_TOPICS, PresenceEventsTopic } from '@chat/contracts';
import { ensureTopics, KAFKA, partitionCount } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { PRESENCE_CONFIG, PresenceConfig } from '../config/presence.config';
import { PresenceConsumer } from '../ingest/presence.consumer';
import { PresenceLeader } from '../leader/presence.leader';
import { PRESENCE_PRODUCER } from '../state/tokens';

/**
 * Start order and stop order in one place. Start, after HTTP listens so /health answers (not
 * ready) while Kafka is down: topics, the producer, then the leader (it may have an outbox to
 * publish from before a restart) and the consumer. Stop: start-up retries; the consumer after its
 * in-flight batch (its offsets committed); the leader after a last publish of the outbox,
 * releasing the lock; HTTP; then the producer (Redis closes in RedisModule).
 * Nothing is lost if any step is cut short: state, deadlines and the outbox live in Redis.
 */
@Injectable()
export class Lifecycle implements OnModuleDestroy, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly startup: StartupSequence;

  constructor(
    @Inject(PRESENCE_CONFIG) private readonly config: PresenceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PRESENCE_PRODUCER) private readonly producer: Producer,
    private readonly leader: PresenceLeader,
    private readonly consumer: PresenceConsumer,
    progress: StartupProgress,
  ) {
    this.startup = new StartupSequence(progress, logger);
  }

  /** Called by main.ts once HTTP listens; retries each step until it succeeds or shutdown begins. */
  start(): Promise<void> {
    return this.startup.run(async () => {
      this.startup.phase('kafka topics and producer');
      const created = await this.startup.retry('kafka topics', () => ensureTopics(this.kafka, ALL_TOPICS, this.config.KAFKA_REPLICATION_FACTOR));
      this.logger.info({ created }, 'kafka topics exist');
      await this.startup.retry('kafka producer', () => this.producer.connect());
      const partitions = await this.startup.retry('presence.events partitions', () => partitionCount(this.kafka, PresenceEventsTopic.name));
      this.leader.start(partitions);
      this.startup.phase('presence consumer');
      await this.consumer.start();
    });
  }

  onModuleDestroy(): void {
    this.logger.info('shutting down: consumer stops after its in-flight batch, then the leader publishes what is left');
    this.startup.abort();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop().catch((error) => this.logger.warn({ err: error }, 'consumer stop failed'));
    await this.leader.stop().catch((error) => this.logger.warn({ err: error }, 'leader stop failed'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect().catch((error) => this.logger.warn({ err: error }, 'producer disconnect failed'));
  }
}
