import { DynamicModule, Global, Module } from '@nestjs/common';
import { CONSUMER_GROUPS, ConsumerGroups } from './consumer-groups';
import { DeadLetterPublisher } from './dead-letter.publisher';

/** What the persister's consumers share: their group ids and the one DLQ producer. */
@Global()
@Module({})
export class ConsumingModule {
  static forRoot(groups: ConsumerGroups): DynamicModule {
    return {
      module: ConsumingModule,
      providers: [{ provide: CONSUMER_GROUPS, useValue: groups }, DeadLetterPublisher],
      exports: [CONSUMER_GROUPS, DeadLetterPublisher],
    };
  }
}
