import { DynamicModule, Global, Module } from '@nestjs/common';
import { HealthModule } from '@chat/health';
import { KafkaReadinessCheck } from '@chat/kafka';
import { MetricsModule, MetricsOptions } from '@chat/metrics';
import { RedisReadinessCheck } from '@chat/redis';
import { AnalyticsMetrics } from './analytics-metrics';

/** /health/live, /health/ready (Kafka, Redis) and /metrics with the analytics counters. */
@Global()
@Module({
  imports: [HealthModule.forRoot([KafkaReadinessCheck, RedisReadinessCheck])],
  providers: [AnalyticsMetrics],
  exports: [AnalyticsMetrics],
})
export class ObservabilityModule {
  static forRoot(metrics: MetricsOptions): DynamicModule {
    return { module: ObservabilityModule, imports: [MetricsModule.forRoot(metrics)] };
  }
}
