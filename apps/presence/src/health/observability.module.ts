import { DynamicModule, Global, Module } from '@nestjs/common';
import { HealthModule } from '@chat/health';
import { KafkaReadinessCheck } from '@chat/kafka';
import { MetricsModule, MetricsOptions } from '@chat/metrics';
import { RedisReadinessCheck } from '@chat/redis';
import { PresenceMetrics } from './presence-metrics';

/** /health/live, /health/ready (Kafka, Redis) and /metrics with the presence counters. */
@Global()
@Module({
  imports: [HealthModule.forRoot([KafkaReadinessCheck, RedisReadinessCheck])],
  providers: [PresenceMetrics],
  exports: [PresenceMetrics],
})
export class ObservabilityModule {
  static forRoot(metrics: MetricsOptions): DynamicModule {
    return { module: ObservabilityModule, imports: [MetricsModule.forRoot(metrics)] };
  }
}
