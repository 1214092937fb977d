import { Counter, processMetric } from '@chat/metrics';

// Process-wide like the logger they count for, which exists before any app (processMetric).
export const opsLogRecordsShipped = processMetric(
  new Counter({
    name: 'ops_log_records_shipped_total',
    help: 'Warn-or-worse log records delivered to ops.logs.v1',
    registers: [],
  }),
);

export const opsLogRecordsDropped = processMetric(
  new Counter({
    name: 'ops_log_records_dropped_total',
    help: 'Warn-or-worse log records not shipped to ops.logs.v1, by reason (buffer_full while Kafka is slow or down, send_failed)',
    labelNames: ['reason'],
    registers: [],
  }),
);
