import { Global, Module } from '@nestjs/common';
import { HealthModule } from '@chat/health';
import { KafkaReadinessCheck } from '@chat/kafka';
import { MetricsModule } from '@chat/metrics';
import { RedisReadinessCheck } from '@chat/redis';
import { PostgresReadinessCheck } from '../storage/postgres-readiness.check';
import { PersisterMetrics } from './persister-metrics';

/** /health/live, /health/ready (Kafka, Redis, PostgreSQL) and /metrics with the persister's counters. */
@Global()
@Module({
  imports: [MetricsModule, HealthModule.forRoot([KafkaReadinessCheck, RedisReadinessCheck, PostgresReadinessCheck])],
  providers: [PersisterMetrics],
  exports: [PersisterMetrics],
})
export class ObservabilityModule {}
