import { DynamicModule, Module } from '@nestjs/common';
import { kafkaSecurityOf } from '@chat/config';
import { HealthModule } from '@chat/health';
import { KafkaModule, KafkaReadinessCheck } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { MetricsModule } from '@chat/metrics';
import { RedisModule, RedisReadinessCheck } from '@chat/redis';
import { PRESENCE_CONFIG, PresenceConfig } from './config/presence.config';
import { Lifecycle } from './lifecycle/lifecycle';
import { presenceProviders } from './presence.providers';

export const SERVICE_NAME = 'presence';

/** The whole presence service: shared infrastructure, its feature providers, and the Lifecycle that starts and stops them. */
@Module({})
export class AppModule {
  static forRoot(config: PresenceConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        KafkaModule.forRoot({ clientId: SERVICE_NAME, brokers: config.KAFKA_BROKERS, logger, security: kafkaSecurityOf(config) }),
        RedisModule.forRoot({ url: config.REDIS_URL, connectionName: SERVICE_NAME }),
        HealthModule.forRoot([KafkaReadinessCheck, RedisReadinessCheck]),
        MetricsModule.forRoot({ token: config.METRICS_TOKEN }),
      ],
      providers: [{ provide: PRESENCE_CONFIG, useValue: config }, { provide: LOGGER, useValue: logger }, ...presenceProviders, Lifecycle],
    };
  }
}
