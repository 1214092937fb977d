import { silentLogger } from '@chat/bootstrap/testing';
import { Kafka, logLevel } from 'kafkajs';
import Redis from 'ioredis';
import type { Pool } from 'pg';
import { createPool } from '../storage/pg-pool';
import { runMigrations } from '../storage/migration-runner';
import { MIGRATIONS } from '../storage/migrations';
import { loadPersisterConfig, PersisterConfig } from '../config/persister.config';

// Shared by every service's integration tests; re-exported so a test imports its helpers from one place.
export { eventually, silentLogger } from '@chat/bootstrap/testing';

/** Integration tests run against the real local infrastructure; env overrides the local defaults. */
export function testConfig(overrides: Partial<PersisterConfig> = {}): PersisterConfig {
  return { ...loadPersisterConfig(process.env), LOG_LEVEL: 'silent', ...overrides };
}

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
