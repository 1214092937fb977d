import { z } from 'zod';
import {
  checkSecurity,
  ConfigError,
  env,
  kafkaSecurityEnv,
  loadConfig,
  metricsEnv,
  redisSecurityEnv,
  runtimeEnv,
  tokenAuthEnv,
  tokenAuthProblems,
} from '@chat/config';

/** The web client as `npm start` serves it (apps/web WEB_PORT 8080), by both local names. */
const LOCAL_WEB_ORIGINS = 'http://127.0.0.1:8080,http://localhost:8080';

/** Unset (or empty): the limit is derived from another (see limits/client-limits.ts). */
const optionalPositiveInt = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.coerce.number({ message: 'expected a positive integer' }).int('expected a positive integer').positive('expected a positive integer').optional(),
);

export const GatewayConfigSchema = z.object({
  ...runtimeEnv,
  ...kafkaSecurityEnv,
  ...redisSecurityEnv,
  ...metricsEnv,
  ...tokenAuthEnv,
  GATEWAY_PORT: env.port(3000),
  /** Stable name of this instance (pod name in Kubernetes); the process adds a boot suffix. */
  GATEWAY_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1-64 chars of A-Za-z0-9_.-').optional(),
  /** Browser origins allowed to open a Socket.IO session; clients without an Origin (not browsers) always are. */
  GATEWAY_ALLOWED_ORIGINS: env.origins(LOCAL_WEB_ORIGINS),
  KAFKA_BROKERS: env.brokers('127.0.0.1:9092'),
  KAFKA_REPLICATION_FACTOR: env.positiveInt(1),
  REDIS_URL: env.url('redis://127.0.0.1:6379', ['redis:', 'rediss:']),
  ACK_TIMEOUT_MS: env.positiveInt(5000),
  HISTORY_TIMEOUT_MS: env.positiveInt(3000),
  SEND_RATE_PER_SEC: env.positiveInt(20),
  SEND_BURST: env.positiveInt(40),
  /** Per connection, every client event other than message:send (typing, receipt:read, room:join, …). */
  EVENT_RATE_PER_SEC: env.positiveInt(50),
  /** Covers rejoining MAX_ROOMS_PER_CONNECTION rooms at once after a reconnect. */
  EVENT_BURST: env.positiveInt(200),
  /** Shared by a user's connections on this gateway; unset: twice the per-connection value. */
  USER_SEND_RATE_PER_SEC: optionalPositiveInt,
  USER_SEND_BURST: optionalPositiveInt,
  USER_EVENT_RATE_PER_SEC: optionalPositiveInt,
  USER_EVENT_BURST: optionalPositiveInt,
  /** Connections one user may hold on this gateway; more are refused TOO_MANY_CONNECTIONS at the handshake. */
  MAX_CONNECTIONS_PER_USER: env.positiveInt(20),
  /** Rooms one connection may be in; room:join beyond it is refused TOO_MANY_ROOMS. */
  MAX_ROOMS_PER_CONNECTION: env.positiveInt(200),
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
  const config = loadConfig(GatewayConfigSchema, source);
  const jwks = tokenAuthProblems(config, 'who may connect');
  if (jwks.length > 0) throw new ConfigError(jwks);
  checkSecurity(config, {
    // With a JWKS the secret is never used, so its value does not matter.
    secrets: config.AUTH_JWKS_URL ? {} : { AUTH_JWT_SECRET: config.AUTH_JWT_SECRET },
    redis: config,
    kafka: config,
    metrics: config,
  });
  return config;
}
