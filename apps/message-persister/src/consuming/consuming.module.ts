import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DEAD_LETTER_PRODUCER_CONFIG, DeadLetterPublisher, KAFKA } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { CONSUMER_GROUPS, ConsumerGroups } from './consumer-groups';

/** What the persister's consumers share: their group ids and the one DLQ producer. */
@Global()
@Module({})
export class ConsumingModule implements OnApplicationShutdown {
  constructor(
    private readonly deadLetters: DeadLetterPublisher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  static forRoot(groups: ConsumerGroups): DynamicModule {
    return {
      module: ConsumingModule,
      providers: [
        { provide: CONSUMER_GROUPS, useValue: groups },
        { provide: DeadLetterPublisher, useFactory: (kafka: Kafka) => new DeadLetterPublisher(kafka.producer(DEAD_LETTER_PRODUCER_CONFIG)), inject: [KAFKA] },
      ],
      exports: [CONSUMER_GROUPS, DeadLetterPublisher],
    };
  }

  /** After every consumer has stopped (they stop in beforeApplicationShutdown): a last batch may dead-letter. */
  async onApplicationShutdown(): Promise<void> {
    await this.deadLetters.disconnect().catch((error) => this.logger.warn({ err: error }, 'DLQ producer disconnect failed'));
  }
}
