import { z } from 'zod';
import { defineTopic } from './topic';

/**
 * A day: enough for analytics to rebuild its 24-hour per-minute window by replay, short
 * enough that a service logging errors in a loop cannot fill the brokers.
 */
const ONE_DAY_MS = String(24 * 60 * 60 * 1000);

export const OpsLogLevelSchema = z.enum(['warn', 'error', 'fatal']);
export type OpsLogLevel = z.infer<typeof OpsLogLevelSchema>;

/** A warn-or-worse log record of a service, shipped for operators (analytics counts them). */
export const OpsLogRecordSchema = z.object({
  /** The service's name as it logs it: gateway, message-persister, presence, analytics. */
  service: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'service must be 1-64 chars of a-z0-9-'),
  /** Which process of the service: hostname-pid or the pod name. */
  instance: z.string().min(1).max(128),
  level: OpsLogLevelSchema,
  message: z.string().max(2000),
  /** The error's class name (err.name / err.type) when the record carries an error. */
  errorType: z.string().min(1).max(128).optional(),
  time: z.iso.datetime({ precision: 3 }),
  correlationId: z.string().min(1).max(128).optional(),
});
export type OpsLogRecord = z.infer<typeof OpsLogRecordSchema>;

export const OpsLogsTopic = defineTopic({
  name: 'ops.logs.v1',
  schema: OpsLogRecordSchema,
  // A service's records stay in order; partitions spread the services.
  key: (record) => record.service,
  partitions: 3,
  config: { 'retention.ms': ONE_DAY_MS, 'cleanup.policy': 'delete' },
});
