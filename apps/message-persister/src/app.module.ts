import { DynamicModule, Module } from '@nestjs/common';
import { kafkaSecurityOf } from '@chat/config';
import { HealthModule } from '@chat/health';
import { KafkaModule, KafkaReadinessCheck } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { MetricsModule } from '@chat/metrics';
import { RedisModule, RedisReadinessCheck } from '@chat/redis';
import { PERSISTER_CONFIG, PersisterConfig } from './config/persister.config';
import { CONSUMER_GROUPS, ConsumerGroups, DEFAULT_CONSUMER_GROUPS } from './consuming/consumer-groups';
import { Lifecycle } from './lifecycle/lifecycle';
import { persisterProviders } from './persister.providers';
import { PostgresReadinessCheck } from './storage/postgres-readiness.check';

export const SERVICE_NAME = 'message-persister';

/** The whole persister: shared infrastructure, its feature providers, and the Lifecycle that starts and stops them. */
@Module({})
export class AppModule {
  static forRoot(config: PersisterConfig, logger: Logger, groups: ConsumerGroups = DEFAULT_CONSUMER_GROUPS): DynamicModule {
    return {
      module: AppModule,
      imports: [
        KafkaModule.forRoot({ clientId: SERVICE_NAME, brokers: config.KAFKA_BROKERS, logger, security: kafkaSecurityOf(config) }),
        RedisModule.forRoot({ url: config.REDIS_URL, connectionName: SERVICE_NAME }),
        HealthModule.forRoot([KafkaReadinessCheck, RedisReadinessCheck, PostgresReadinessCheck]),
        MetricsModule.forRoot({ token: config.METRICS_TOKEN }),
      ],
      providers: [
        { provide: PERSISTER_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: CONSUMER_GROUPS, useValue: groups },
        ...persisterProviders,
        Lifecycle,
      ],
    };
  }
}
