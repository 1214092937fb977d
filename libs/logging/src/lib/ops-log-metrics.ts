import { Counter } from 'prom-client';

/**
 * Process-wide, like the logger they count for: created before any Nest app and its registry,
 * registered into that registry by MetricsModule (registers: [] keeps them out of prom-client's
 * global one, so several apps in one test process do not collide).
 */
export const opsLogRecordsShipped = new Counter({
  name: 'ops_log_records_shipped_total',
  help: 'Warn-or-worse log records delivered to ops.logs.v1',
  registers: [],
});

export const opsLogRecordsDropped = new Counter({
  name: 'ops_log_records_dropped_total',
  help: 'Warn-or-worse log records not shipped to ops.logs.v1, by reason (buffer_full while Kafka is slow or down, send_failed)',
  labelNames: ['reason'],
  registers: [],
});

export const loggingMetrics = [opsLogRecordsShipped, opsLogRecordsDropped];
