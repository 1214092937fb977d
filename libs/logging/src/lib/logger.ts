import { hostname } from 'node:os';
import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { OpsLogShipper, OpsLogShipperOptions, OpsLogSink } from './ops-log-shipper';

export interface OpsLogsOptions extends Pick<OpsLogShipperOptions, 'maxBuffered' | 'batchSize' | 'flushIntervalMs' | 'noticeIntervalMs'> {
  /**
   * Builds the sink from a logger that writes locally only: the sink's own client (kafkajs)
   * logs through it, so its complaints about not reaching Kafka are never shipped to Kafka.
   */
  sink: (localLogger: Logger) => OpsLogSink;
  /** Which process this is (ops.logs.v1 `instance`): the pod name (HOSTNAME) and pid by default. */
  instance?: string;
}

const liveShippers = new Set<OpsLogShipper>();

/**
 * One JSON logger per process, named after the service, level from LOG_LEVEL. With opsLogs its
 * warn-or-worse records also go to ops.logs.v1, in the background (OpsLogShipper).
 */
export function createLogger(service: string, level = process.env['LOG_LEVEL'] ?? 'info', opsLogs?: OpsLogsOptions): Logger {
  const options = { name: service, level, base: { service, pid: process.pid } };
  if (!opsLogs) return pino(options);
  const stdout = pino.destination({ fd: 1, sync: true });
  const local = pino(options, stdout);
  const shipper = new OpsLogShipper({
    ...opsLogs,
    origin: { service, instance: opsLogs.instance ?? `${process.env['HOSTNAME'] ?? hostname()}-${process.pid}` },
    sink: opsLogs.sink(local),
    notice: (fields, message) => local.warn(fields, message),
  });
  liveShippers.add(shipper);
  return pino(
    options,
    pino.multistream([
      { level: 'trace', stream: stdout },
      { level: 'warn', stream: shipper },
    ]),
  );
}

/** Sends what the process's loggers hold now, without closing them: at a shutdown signal, since the logging goes on. */
export async function flushOpsLogs(): Promise<void> {
  await Promise.all([...liveShippers].map((shipper) => shipper.flush()));
}

/** Ships what the process's loggers still hold, for at most timeoutMs, and closes their sinks. Final. */
export async function closeOpsLogs(timeoutMs = 2000): Promise<void> {
  const shippers = [...liveShippers];
  liveShippers.clear();
  await Promise.all(shippers.map((shipper) => shipper.close(timeoutMs)));
}

/** Routes Nest's own logs into the structured logger, keeping Nest's context as a field. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}

/** Injection token of the process's pino logger. */
export const LOGGER = Symbol('LOGGER');
export type { Logger };
