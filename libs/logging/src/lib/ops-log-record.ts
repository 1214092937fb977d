import { OpsLogLevel, OpsLogRecord } from '@chat/contracts';

/** pino's numeric levels of the records that are shipped. */
const SHIPPED_LEVELS: Readonly<Record<number, OpsLogLevel>> = { 40: 'warn', 50: 'error', 60: 'fatal' };
/** Fields that tie a log line to the client request or message it is about, most specific first. */
const CORRELATION_FIELDS = ['correlationId', 'clientMsgId', 'messageId', 'requestId'] as const;
const MAX_MESSAGE = 2000;
const MAX_ID = 128;

export interface OpsLogOrigin {
  service: string;
  instance: string;
}

/**
 * One pino JSON line as an ops.logs.v1 record, or undefined for a line below warn or one that is
 * not a pino record. Never throws: a log line must not be able to break the service logging it.
 */
export function toOpsLogRecord(line: string, origin: OpsLogOrigin): OpsLogRecord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || typeof parsed['level'] !== 'number') return undefined;
  const level = SHIPPED_LEVELS[parsed['level']];
  if (!level) return undefined;
  const record: OpsLogRecord = {
    service: origin.service,
    instance: origin.instance.slice(0, MAX_ID),
    level,
    message: messageOf(parsed).slice(0, MAX_MESSAGE),
    time: timeOf(parsed['time']),
  };
  const errorType = errorTypeOf(parsed['err']);
  if (errorType) record.errorType = errorType.slice(0, MAX_ID);
  const correlationId = correlationIdOf(parsed);
  if (correlationId) record.correlationId = correlationId.slice(0, MAX_ID);
  return record;
}

function messageOf(line: Record<string, unknown>): string {
  if (typeof line['msg'] === 'string' && line['msg'].length > 0) return line['msg'];
  const err = line['err'];
  if (isObject(err) && typeof err['message'] === 'string' && err['message'].length > 0) return err['message'];
  return '(no message)';
}

function timeOf(time: unknown): string {
  const date = typeof time === 'number' ? new Date(time) : new Date();
  return Number.isNaN(date.getTime()) ? new Date().toISOString() : date.toISOString();
}

// pino's err serializer writes the class name as `type`; a plain object logged as err may carry `name`.
function errorTypeOf(err: unknown): string | undefined {
  if (!isObject(err)) return undefined;
  for (const field of ['type', 'name']) {
    const value = err[field];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}

function correlationIdOf(line: Record<string, unknown>): string | undefined {
  for (const field of CORRELATION_FIELDS) {
    const value = line[field];
    if (typeof value === 'string' && value.length > 0) return value;
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
