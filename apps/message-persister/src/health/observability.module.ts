import { DynamicModule, Global, Module } from '@nestjs/common';
import { HealthModule } from '@chat/health';
import { KafkaReadinessCheck } from '@chat/kafka';
import { MetricsModule, MetricsOptions } from '@chat/metrics';
import { RedisReadinessCheck } from '@chat/redis';
import { PostgresReadinessCheck } from '../storage/postgres-readiness.check';
import { PersisterMetrics } from './persister-metrics';

/** /health/live, /health/ready (Kafka, Redis, PostgreSQL) and /metrics with the persister's counters. */
@Global()
@Module({
  imports: [HealthModule.forRoot([KafkaReadinessCheck, RedisReadinessCheck, PostgresReadinessCheck])],
  providers: [PersisterMetrics],
  exports: [PersisterMetrics],
})
export class ObservabilityModule {
  static forRoot(metrics: MetricsOptions): DynamicModule {
    return { module: ObservabilityModule, imports: [MetricsModule.forRoot(metrics)] };
  }
}
