import { DynamicModule, Module } from '@nestjs/common';
import { kafkaSecurityOf } from '@chat/config';
import { HealthModule } from '@chat/health';
import { KafkaModule, KafkaReadinessCheck } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { MetricsModule } from '@chat/metrics';
import { RedisModule, RedisReadinessCheck } from '@chat/redis';
import { analyticsProviders } from './analytics.providers';
import { ANALYTICS_CONFIG, AnalyticsConfig } from './config/analytics.config';
import { DashboardController } from './dashboard/dashboard.controller';
import { dashboardProviders } from './dashboard/dashboard.providers';
import { Lifecycle } from './lifecycle/lifecycle';
import { opsAuthProviders } from './ops-auth/ops-auth.providers';
import { AnalyticsController } from './query/analytics.controller';

export const SERVICE_NAME = 'analytics';

/** The whole analytics service: shared infrastructure, the read API and the dashboard, its feature providers, and the Lifecycle that starts and stops them. */
@Module({})
export class AppModule {
  static forRoot(config: AnalyticsConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        KafkaModule.forRoot({ clientId: SERVICE_NAME, brokers: config.KAFKA_BROKERS, logger, security: kafkaSecurityOf(config) }),
        RedisModule.forRoot({ url: config.REDIS_URL, connectionName: SERVICE_NAME }),
        HealthModule.forRoot([KafkaReadinessCheck, RedisReadinessCheck]),
        MetricsModule.forRoot({ token: config.METRICS_TOKEN }),
      ],
      controllers: [AnalyticsController, DashboardController],
      providers: [{ provide: ANALYTICS_CONFIG, useValue: config }, { provide: LOGGER, useValue: logger }, ...analyticsProviders, ...opsAuthProviders, ...dashboardProviders, Lifecycle],
    };
  }
}
