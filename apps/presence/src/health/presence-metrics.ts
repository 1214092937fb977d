import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, METRICS_REGISTRY, Registry } from '@chat/metrics';

@Injectable()
export class PresenceMetrics {
  readonly events: Counter<'outcome'>;
  readonly changes: Counter<'status'>;
  readonly conflicts: Counter;
  readonly batchFailures: Counter;
  readonly batchSeconds: Histogram;
  readonly gatewaysExpired: Counter;
  readonly sweepFailures: Counter;
  readonly watermarkLag: Gauge;
  readonly outboxBacklog: Gauge;
  readonly leader: Gauge;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.events = new Counter({
      name: 'presence_events_total',
      help: 'presence.events records by outcome: applied, duplicate (redelivered, already applied), stale (stamped before its gateway stopped or died), invalid (dead-lettered), failed (kept failing alone after retries; dead-lettered)',
      labelNames: ['outcome'],
      registers,
    });
    this.changes = new Counter({
      name: 'presence_changes_published_total',
      help: 'Records produced to presence.changes, by status',
      labelNames: ['status'],
      registers,
    });
    this.conflicts = new Counter({
      name: 'presence_commit_conflicts_total',
      help: 'State commits re-decided because a concurrent commit changed what they read',
      registers,
    });
    this.batchFailures = new Counter({
      name: 'presence_batch_failures_total',
      help: 'Batches that failed (Redis or Kafka unavailable) and will be redelivered',
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'presence_batch_duration_seconds',
      help: 'Time to apply one batch of presence.events to Redis',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.gatewaysExpired = new Counter({
      name: 'presence_gateways_expired_total',
      help: 'Gateways whose lease ran out (died without saying so)',
      registers,
    });
    this.sweepFailures = new Counter({
      name: 'presence_sweep_failures_total',
      help: 'Leader ticks (sweep or outbox publish) that failed and will be retried',
      registers,
    });
    this.watermarkLag = new Gauge({
      name: 'presence_watermark_lag_seconds',
      help: 'How far behind now the consumer group is known to have applied presence.events (deadlines wait for it)',
      registers,
    });
    this.outboxBacklog = new Gauge({
      name: 'presence_outbox_backlog',
      help: 'Presence changes decided but not yet produced to Kafka',
      registers,
    });
    this.leader = new Gauge({
      name: 'presence_leader',
      help: '1 while this instance runs the sweeper and the outbox publisher',
      registers,
    });
  }
}
