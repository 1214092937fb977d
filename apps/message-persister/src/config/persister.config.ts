import { z } from 'zod';
import { checkSecurity, env, kafkaSecurityEnv, loadConfig, metricsEnv, redisSecurityEnv, runtimeEnv } from '@chat/config';

export const PersisterConfigSchema = z.object({
  ...runtimeEnv,
  ...kafkaSecurityEnv,
  ...redisSecurityEnv,
  ...metricsEnv,
  PERSISTER_PORT: env.port(3010),
  KAFKA_BROKERS: env.brokers('127.0.0.1:9092'),
  KAFKA_REPLICATION_FACTOR: env.positiveInt(1),
  REDIS_URL: env.url('redis://127.0.0.1:6379', ['redis:', 'rediss:']),
  DATABASE_URL: env.url('postgres://chat:chat@127.0.0.1:5432/chat', ['postgres:', 'postgresql:']),
  /** Messages per room kept in the Redis recent-history cache. */
  RECENT_HISTORY_SIZE: env.positiveInt(200),
  /** Tries of a failing batch before it is taken apart and what fails alone is dead-lettered. */
  CONSUMER_MAX_BATCH_ATTEMPTS: env.positiveInt(4).refine((n) => n <= 10, 'expected at most 10 (the retries must fit in the session timeout)'),
  /**
   * Apply pending migrations at start-up (the default, for `npm start` and compose). Kubernetes
   * sets false and runs `node dist/main.js migrate` once per release as a Job; the pods then only
   * wait until the schema is current.
   */
  MIGRATE_ON_START: z
    .enum(['true', 'false'], { message: 'expected true or false' })
    .default('true')
    .transform((value) => value === 'true'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'expected one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
});
export type PersisterConfig = z.infer<typeof PersisterConfigSchema>;

export const PERSISTER_CONFIG = Symbol('PERSISTER_CONFIG');

export function loadPersisterConfig(source: NodeJS.ProcessEnv = process.env): PersisterConfig {
  const config = loadConfig(PersisterConfigSchema, source);
  checkSecurity(config, { redis: config, kafka: config, metrics: config });
  return config;
}

/** What `node main.js migrate` reads: PostgreSQL only, so the Job needs no Kafka or Redis settings. */
export const MigrateConfigSchema = PersisterConfigSchema.pick({ DATABASE_URL: true, LOG_LEVEL: true });
export type MigrateConfig = z.infer<typeof MigrateConfigSchema>;

export function loadMigrateConfig(source: NodeJS.ProcessEnv = process.env): MigrateConfig {
  return loadConfig(MigrateConfigSchema, source);
}
