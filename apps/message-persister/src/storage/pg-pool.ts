import { Pool } from 'pg';
import type { Logger } from '@chat/logging';

export const PG_POOL = Symbol('PG_POOL');

/**
 * The pool connects lazily, so the process starts (and serves /health) while PostgreSQL is down;
 * timeouts keep a stalled database from wedging a Kafka batch forever.
 */
export function createPool(connectionString: string, logger: Logger): Pool {
  const pool = new Pool({
    connectionString,
    application_name: 'message-persister',
    max: 10,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30000,
    statement_timeout: 15000,
    query_timeout: 20000,
  });
  // An idle client losing its connection emits here; without a listener the process would crash.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle PostgreSQL connection failed'));
  return pool;
}
