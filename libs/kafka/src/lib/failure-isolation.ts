/**
 * outage: a dependency is unreachable (retry forever, never dead-letter);
 * poison: the error blames the data (skip the remaining batch retries, isolate at once);
 * unknown: could be either: retry the batch, then isolate while the dependencies are healthy.
 */
export type FailureKind = 'outage' | 'poison' | 'unknown';

/** A record given up on: it failed alone, with its dependencies healthy, after the batch retries. */
export interface RecordFailure<R> {
  record: R;
  error: unknown;
  attempts: number;
}

export interface IsolationOptions {
  /** Tries of the whole batch before it is taken apart (≥ 1). */
  maxAttempts: number;
  /** Wait before retry n: baseDelayMs · 2^(n-1), at most maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Keeps the waits of a batch well inside the 10 s session timeout (heartbeats run between them). */
export const DEFAULT_ISOLATION: IsolationOptions = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 2000 };

export interface IsolationHooks<R> {
  /** The side effect for some records; must be idempotent (a batch is redone, partly, on retry). */
  run(records: readonly R[]): Promise<void>;
  classify(error: unknown): FailureKind;
  /** Whether the dependencies answer now: a record only counts as poison when they do. */
  healthy(): Promise<boolean>;
  /** Publishes the records given up on; throwing makes the whole batch fail (it is redelivered). */
  deadLetter(failures: readonly RecordFailure<R>[]): Promise<void>;
  /** Waits between attempts, keeping the consumer's session alive. */
  pause(ms: number): Promise<void>;
  /** Told of every failed try of the whole batch (for metrics and logs). */
  onAttemptFailed?(error: unknown, attempt: number): void;
}

/** Thrown when the batch must be redelivered as it is: nothing of it is dead-lettered. */
export class BatchRetryLater extends Error {
  constructor(
    readonly reason: 'outage' | 'dependency-unhealthy',
    readonly failure: unknown,
  ) {
    super(`batch left for redelivery (${reason}): ${describeError(failure).message}`);
    this.name = 'BatchRetryLater';
  }
}

export function describeError(error: unknown): { type: string; message: string } {
  if (error instanceof Error) return { type: error.constructor.name || error.name, message: error.message };
  return { type: typeof error, message: String(error) };
}

export function backoffMs(attempt: number, options: IsolationOptions): number {
  return Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
}

/**
 * One batch with bounded retries, then record by record. An outage (or a dependency that is not
 * healthy) throws BatchRetryLater and dead-letters nothing, so a short database outage costs
 * delay, never good records; only a record that fails on its own while everything answers is
 * given up on. Resolves with what was dead-lettered; the caller may then commit past the batch.
 */
export async function runWithIsolation<R>(
  records: readonly R[],
  hooks: IsolationHooks<R>,
  options: IsolationOptions = DEFAULT_ISOLATION,
): Promise<RecordFailure<R>[]> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    try {
      await hooks.run(records);
      return [];
    } catch (error) {
      hooks.onAttemptFailed?.(error, attempt);
      const kind = hooks.classify(error);
      if (kind === 'outage') throw new BatchRetryLater('outage', error);
      lastError = error;
      if (kind === 'poison') break;
      if (attempt < options.maxAttempts) await hooks.pause(backoffMs(attempt, options));
    }
  }
  if (!(await hooks.healthy())) throw new BatchRetryLater('dependency-unhealthy', lastError);
  const failures: RecordFailure<R>[] = [];
  for (const record of records) {
    try {
      await hooks.run([record]);
    } catch (error) {
      if (hooks.classify(error) === 'outage') throw new BatchRetryLater('outage', error);
      // Asked after the failure: a dependency that went down meanwhile fails this record too.
      if (!(await hooks.healthy())) throw new BatchRetryLater('dependency-unhealthy', error);
      failures.push({ record, error, attempts: options.maxAttempts + 1 });
    }
  }
  if (failures.length > 0) await hooks.deadLetter(failures);
  return failures;
}

/** A `healthy` hook from readiness checks: every one must answer within the timeout. */
export function allAnswer(checks: readonly { check(): Promise<void> }[], timeoutMs = 2000): () => Promise<boolean> {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const answered = Promise.all(checks.map((c) => c.check())).then(() => true, () => false);
    return Promise.race([answered, timeout]).finally(() => clearTimeout(timer));
  };
}

/** Node's socket error codes: the peer is unreachable, whatever the record. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
/** Messages of clients that lost their connection (ioredis, node-pg) and carry no code. */
const CONNECTION_MESSAGES = /Connection is closed|Stream isn't writeable|Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Client has encountered a connection error|MaxRetriesPerRequest/i;

/**
 * Generic part of classifying: network errors and kafkajs' retriable errors are outages, the
 * rest unknown. Services put their own store's rules (e.g. SQLSTATE classes) in front of it.
 */
export function classifyCommonError(error: unknown): FailureKind {
  if (error instanceof BatchRetryLater) return 'outage';
  const { code, retriable, name } = (error ?? {}) as { code?: unknown; retriable?: unknown; name?: unknown };
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'outage';
  if (retriable === true && typeof name === 'string' && name.startsWith('KafkaJS')) return 'outage';
  if (name === 'MaxRetriesPerRequestError') return 'outage';
  return CONNECTION_MESSAGES.test(describeError(error).message) ? 'outage' : 'unknown';
}
