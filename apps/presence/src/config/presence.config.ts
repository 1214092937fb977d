import { z } from 'zod';
import { checkSecurity, env, kafkaSecurityEnv, loadConfig, metricsEnv, redisSecurityEnv, runtimeEnv } from '@chat/config';

export const PresenceConfigSchema = z.object({
  ...runtimeEnv,
  ...kafkaSecurityEnv,
  ...redisSecurityEnv,
  ...metricsEnv,
  PRESENCE_PORT: env.port(3020),
  KAFKA_BROKERS: env.brokers('127.0.0.1:9092'),
  KAFKA_REPLICATION_FACTOR: env.positiveInt(1),
  REDIS_URL: env.url('redis://127.0.0.1:6379', ['redis:', 'rediss:']),
  /** Consumer group of presence.events.v1; also names the group's keys (outbox, offsets, leader). */
  PRESENCE_GROUP_ID: env.string('presence'),
  /** Reconnect grace: a user whose last connection closed stays online this long. */
  PRESENCE_GRACE_MS: env.positiveInt(1000),
  /** Lease of a gateway that opened a connection before its first heartbeat. */
  PRESENCE_DEFAULT_LEASE_MS: env.positiveInt(15_000),
  /** Period of the leader's sweep (pending offlines, expired leases) and outbox drain. */
  PRESENCE_TICK_MS: env.positiveInt(200).refine((ms) => ms <= 250, 'expected at most 250 ms (offline within 2 s)'),
  /**
   * Longest expected delay between a gateway stamping an event and Kafka having it: a deadline
   * is acted on only once everything that reached Kafka up to deadline + slack is applied.
   */
  PRESENCE_EVENT_SLACK_MS: env.positiveInt(150),
  /** Identifies this process in the leader lock; defaults to hostname-pid-random. */
  PRESENCE_INSTANCE_ID: z.string().min(1, 'must not be empty').optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'expected one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
});
export type PresenceConfig = z.infer<typeof PresenceConfigSchema>;

export const PRESENCE_CONFIG = Symbol('PRESENCE_CONFIG');

export function loadPresenceConfig(source: NodeJS.ProcessEnv = process.env): PresenceConfig {
  const config = loadConfig(PresenceConfigSchema, source);
  checkSecurity(config, { redis: config, kafka: config, metrics: config });
  return config;
}
