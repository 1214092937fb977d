import { DynamicModule, Module } from '@nestjs/common';
import { kafkaSecurityOf } from '@chat/config';
import { HealthModule } from '@chat/health';
import { KafkaModule, KafkaReadinessCheck } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { MetricsModule } from '@chat/metrics';
import { RedisModule, RedisReadinessCheck } from '@chat/redis';
import { DrainState } from './chat/drain-state';
import { GatewayMetrics } from './metrics/gateway-metrics';
import { GATEWAY_CONFIG, GatewayConfig } from './config/gateway.config';
import { gatewayProviders } from './gateway.providers';
import { GatewayLifecycle } from './gateway.lifecycle';
import { INSTANCE_ID } from './instance/instance-id';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, logger: Logger, instanceId: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        KafkaModule.forRoot({ clientId: `gateway-${instanceId}`, brokers: config.KAFKA_BROKERS, logger, security: kafkaSecurityOf(config) }),
        RedisModule.forRoot({ url: config.REDIS_URL, connectionName: `gateway-${instanceId}` }),
        HealthModule.forRoot([KafkaReadinessCheck, RedisReadinessCheck]),
        MetricsModule.forRoot({ token: config.METRICS_TOKEN }),
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: INSTANCE_ID, useValue: instanceId },
        DrainState,
        GatewayMetrics,
        ...gatewayProviders,
        GatewayLifecycle,
      ],
    };
  }
}
