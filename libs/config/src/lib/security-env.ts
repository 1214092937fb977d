import { z } from 'zod';
import { env } from './load-config';

/** The local default of AUTH_JWT_SECRET: public, so production refuses it. */
export const DEV_JWT_SECRET = 'dev-secret-change-me';

/**
 * Variables every service reads. Spread these shapes into an app's schema (deploy-check reads
 * the names from here): `z.object({ ...runtimeEnv, ... })`.
 */
export const runtimeEnv = {
  /** `production` turns on the refusals of checkSecurity; anything else is local use. */
  NODE_ENV: z
    .enum(['development', 'test', 'production'], { message: 'expected development, test or production' })
    .default('development'),
  /** Interface the HTTP server binds: loopback unless told otherwise (containers set 0.0.0.0). */
  LISTEN_HOST: env.string('127.0.0.1'),
};

export const kafkaSecurityEnv = {
  KAFKA_TLS: env.flag(false),
  KAFKA_SASL_MECHANISM: z
    .enum(['plain', 'scram-sha-256', 'scram-sha-512'], { message: 'expected plain, scram-sha-256 or scram-sha-512' })
    .optional(),
  KAFKA_SASL_USERNAME: z.string().min(1, 'must not be empty').optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1, 'must not be empty').optional(),
  /** Production only: accept a Kafka connection without TLS and SASL (a private, trusted network). */
  ALLOW_INSECURE_KAFKA: env.flag(false),
};

export const redisSecurityEnv = {
  /** Production only: accept a REDIS_URL without a password (a private, trusted network). */
  ALLOW_INSECURE_REDIS: env.flag(false),
};

export const metricsEnv = {
  /** When set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`; required in production. */
  METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
};

type Shape<T extends z.ZodRawShape> = z.output<z.ZodObject<T>>;
export type RuntimeEnv = Shape<typeof runtimeEnv>;
export type KafkaSecurityEnv = Shape<typeof kafkaSecurityEnv>;
export type RedisSecurityEnv = Shape<typeof redisSecurityEnv>;
export type MetricsEnv = Shape<typeof metricsEnv>;

/** What createKafka needs to reach a secured cluster, from the KAFKA_* variables. */
export interface KafkaSecurity {
  tls: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

/** Call after checkSecurity: it guarantees the SASL variables come together. */
export function kafkaSecurityOf(config: KafkaSecurityEnv): KafkaSecurity {
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = config;
  return {
    tls: config.KAFKA_TLS,
    sasl: mechanism && username && password ? { mechanism, username, password } : undefined,
  };
}
