import { DynamicModule, Module } from '@nestjs/common';
import { kafkaSecurityOf } from '@chat/config';
import { KafkaModule } from '@chat/kafka';
import type { Logger } from '@chat/logging';
import { RedisModule } from '@chat/redis';
import { PresenceConfigModule } from './config/config.module';
import type { PresenceConfig } from './config/presence.config';
import { ObservabilityModule } from './health/observability.module';
import { PresenceModule } from './presence.module';

export const SERVICE_NAME = 'presence';

@Module({})
export class AppModule {
  static forRoot(config: PresenceConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PresenceConfigModule.forRoot(config, logger),
        KafkaModule.forRoot({ clientId: SERVICE_NAME, brokers: config.KAFKA_BROKERS, logger, security: kafkaSecurityOf(config) }),
        RedisModule.forRoot({ url: config.REDIS_URL, connectionName: SERVICE_NAME }),
        ObservabilityModule.forRoot({ token: config.METRICS_TOKEN }),
        PresenceModule,
      ],
    };
  }
}
