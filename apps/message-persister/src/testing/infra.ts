import { Kafka, logLevel } from 'kafkajs';
import Redis from 'ioredis';
import pino from 'pino';
import type { Pool } from 'pg';
import { createPool } from '../storage/pg-pool';
import { runMigrations } from '../storage/migration-runner';
import { MIGRATIONS } from '../storage/migrations';
import { loadPersisterConfig, PersisterConfig } from '../config/persister.config';

/** Integration tests run against the real local infrastructure; env overrides the local defaults. */
export function testConfig(overrides: Partial<PersisterConfig> = {}): PersisterConfig {
  return { ...loadPersisterConfig(process.env), LOG_LEVEL: 'silent', ...overrides };
}

export const silentLogger = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

/** Room ids unique to this run, so concurrent or repeated runs never see each other's data. */
export function uniqueRoom(label: string): string {
  return `it-${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
}

/** A consumer group unique to this run: a dev instance sharing the cluster cannot take its partitions. */
export function uniqueGroup(label: string): string {
  return `it-${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
}

export async function migratedPool(config = testConfig()): Promise<Pool> {
  const pool = createPool(config.DATABASE_URL, silentLogger);
  await runMigrations(pool, MIGRATIONS, silentLogger);
  return pool;
}

export function testRedis(config = testConfig()): Redis {
  return new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });
}

export function testKafka(config = testConfig()): Kafka {
  return new Kafka({ clientId: 'message-persister-it', brokers: config.KAFKA_BROKERS, logLevel: logLevel.NOTHING });
}

/** Polls until `probe` returns a value that `done` accepts; fails with the last value seen. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
}
