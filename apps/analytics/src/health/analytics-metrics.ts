import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, METRICS_REGISTRY, Registry } from '@chat/metrics';

@Injectable()
export class AnalyticsMetrics {
  readonly records: Counter<'topic' | 'outcome'>;
  readonly batchFailures: Counter<'topic'>;
  readonly batchSeconds: Histogram<'topic'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.records = new Counter({
      name: 'analytics_records_total',
      help: 'Records read by analytics, by topic and outcome: counted, skipped (at or below the stored offset: a redelivery or replay), invalid (broke the contract, left out)',
      labelNames: ['topic', 'outcome'],
      registers,
    });
    this.batchFailures = new Counter({
      name: 'analytics_batch_failures_total',
      help: 'Batches that failed (Redis unavailable) and will be redelivered',
      labelNames: ['topic'],
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'analytics_batch_duration_seconds',
      help: 'Time to plan and apply one batch of one partition to Redis',
      labelNames: ['topic'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
  }
}
