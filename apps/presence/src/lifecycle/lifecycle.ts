import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import { LOGGER, Logger } from '@chat/logging';
import { PresenceConsumer } from '../ingest/presence.consumer';
import { PresenceLeader } from '../leader/presence.leader';
import { PRESENCE_PRODUCER } from '../state/tokens';
import { StartupSequence } from './startup';

/**
 * Graceful shutdown in one place, in order: stop start-up retries; stop the consumer after its
 * in-flight batch (its offsets committed); stop the leader after a last publish of the outbox and
 * release the lock; then disconnect the producer. HTTP and Redis close after (Nest, RedisModule).
 * Nothing is lost if any step is cut short: state, deadlines and the outbox live in Redis.
 */
@Injectable()
export class Lifecycle implements OnModuleDestroy, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly startup: StartupSequence,
    private readonly consumer: PresenceConsumer,
    private readonly leader: PresenceLeader,
    @Inject(PRESENCE_PRODUCER) private readonly producer: Producer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

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
