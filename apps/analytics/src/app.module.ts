import { DynamicModule, Module } from '@nestjs/common';
import { kafkaSecurityOf } from '@chat/config';
import { KafkaModule } from '@chat/kafka';
import type { Logger } from '@chat/logging';
import { RedisModule } from '@chat/redis';
import { AnalyticsConfigModule } from './config/config.module';
import type { AnalyticsConfig } from './config/analytics.config';
import { ObservabilityModule } from './health/observability.module';
import { AnalyticsModule } from './analytics.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { OpsAuthModule } from './ops-auth/ops-auth.module';

export const SERVICE_NAME = 'analytics';

@Module({})
export class AppModule {
  static forRoot(config: AnalyticsConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AnalyticsConfigModule.forRoot(config, logger),
        KafkaModule.forRoot({ clientId: SERVICE_NAME, brokers: config.KAFKA_BROKERS, logger, security: kafkaSecurityOf(config) }),
        RedisModule.forRoot({ url: config.REDIS_URL, connectionName: SERVICE_NAME }),
        ObservabilityModule.forRoot({ token: config.METRICS_TOKEN }),
        OpsAuthModule,
        AnalyticsModule,
        DashboardModule,
      ],
    };
  }
}
