import { z } from 'zod';
import { checkSecurity, ConfigError, env, kafkaSecurityEnv, loadConfig, metricsEnv, redisSecurityEnv, runtimeEnv, tokenAuthEnv, tokenAuthProblems } from '@chat/config';

export const AnalyticsConfigSchema = z.object({
  ...runtimeEnv,
  ...kafkaSecurityEnv,
  ...redisSecurityEnv,
  ...metricsEnv,
  // Operators' tokens for /analytics/* in production: a JWT with `ops` in its `roles` claim (ADR 0020).
  ...tokenAuthEnv,
  ANALYTICS_PORT: env.port(3030),
  KAFKA_BROKERS: env.brokers('127.0.0.1:9092'),
  KAFKA_REPLICATION_FACTOR: env.positiveInt(1),
  REDIS_URL: env.url('redis://127.0.0.1:6379', ['redis:', 'rediss:']),
  /**
   * Names the consumer groups (`<id>.<topic>`, one per topic) and the stored offsets in Redis.
   * Tests use their own, so a run starts clean.
   */
  ANALYTICS_GROUP_ID: env.string('analytics'),
  /** First segment of every analytics key in Redis (AnalyticsKeys); a test uses its own. */
  ANALYTICS_KEY_SPACE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected 1-64 chars of a-z0-9- (no colon)')
    .default('analytics'),
  /** How long a per-second bucket is kept after it ends (5 minutes). */
  ANALYTICS_SECONDS_KEPT_MS: env.positiveInt(5 * 60_000),
  /** How long a per-minute bucket is kept after it ends (24 hours). */
  ANALYTICS_MINUTES_KEPT_MS: env.positiveInt(24 * 60 * 60_000),
  /** Where a new group starts: the beginning (the retained log is counted) or the end. */
  ANALYTICS_FROM_BEGINNING: env.flag(true),
  /** Dashboards streaming /analytics/stream at once; one more is 503 (each costs a socket, not a Redis read). */
  ANALYTICS_SSE_MAX_CLIENTS: env.positiveInt(16),
  /** How often /analytics/stream pushes the summary. */
  ANALYTICS_SSE_INTERVAL_MS: env.positiveInt(1000),
  LOG_LEVEL: env.logLevel(),
});
export type AnalyticsConfig = z.infer<typeof AnalyticsConfigSchema>;

export const ANALYTICS_CONFIG = Symbol('ANALYTICS_CONFIG');

export function loadAnalyticsConfig(source: NodeJS.ProcessEnv = process.env): AnalyticsConfig {
  const config = loadConfig(AnalyticsConfigSchema, source);
  const auth = tokenAuthProblems(config, 'who may read analytics');
  if (auth.length > 0) throw new ConfigError(auth);
  // With a JWKS the secret is never used, so its value does not matter.
  checkSecurity(config, { secrets: config.AUTH_JWKS_URL ? {} : { AUTH_JWT_SECRET: config.AUTH_JWT_SECRET }, redis: config, kafka: config, metrics: config });
  return config;
}
