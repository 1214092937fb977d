import { z } from 'zod';
import { env, loadConfig } from '@chat/config';

export const GatewayConfigSchema = z.object({
  GATEWAY_PORT: env.port(3000),
  /** Stable name of this instance (pod name in Kubernetes); the process adds a boot suffix. */
  GATEWAY_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1-64 chars of A-Za-z0-9_.-').optional(),
  AUTH_JWT_SECRET: env.string('dev-secret-change-me'),
  KAFKA_BROKERS: env.brokers('127.0.0.1:9092'),
  KAFKA_REPLICATION_FACTOR: env.positiveInt(1),
  REDIS_URL: env.url('redis://127.0.0.1:6379', ['redis:', 'rediss:']),
  ACK_TIMEOUT_MS: env.positiveInt(5000),
  HISTORY_TIMEOUT_MS: env.positiveInt(3000),
  SEND_RATE_PER_SEC: env.positiveInt(20),
  SEND_BURST: env.positiveInt(40),
  /** Sends waiting for Kafka beyond this are refused with UNAVAILABLE rather than queued. */
  SEND_QUEUE_LIMIT: env.positiveInt(10000),
  /** How long a send waits for others to share its Kafka Produce request (0: none). */
  PRODUCE_LINGER_MS: env.nonNegativeInt(5),
  /** How long a fan-out fetch may wait for more records: bounds fetches per second under load. */
  FANOUT_FETCH_WAIT_MS: env.positiveInt(10),
  /** Remembered clientMsgIds, so a retried send returns the first send's message. */
  SEND_DEDUPE_TTL_SEC: env.positiveInt(24 * 60 * 60),
  /** While Redis is unreachable, sends are remembered in the gateway instead: at most this many… */
  SEND_DEDUPE_LOCAL_MAX: env.positiveInt(100_000),
  /** …for this long (ADR 0011). */
  SEND_DEDUPE_LOCAL_TTL_SEC: env.positiveInt(600),
  SHUTDOWN_GRACE_MS: env.positiveInt(10000),
  LOG_LEVEL: env.logLevel(),
});
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

export function loadGatewayConfig(source: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return loadConfig(GatewayConfigSchema, source);
}
