import { ConfigError } from './load-config';
import { DEV_JWT_SECRET, KafkaSecurityEnv, MetricsEnv, RedisSecurityEnv, RuntimeEnv } from './security-env';

/** Production wants at least 128 bits of randomness: `openssl rand -hex 32` gives 64 characters. */
export const MIN_PRODUCTION_SECRET_LENGTH = 32;

/** What a service hands to checkSecurity: only the parts it has, keyed by variable name. */
export interface SecurityChecks {
  /** HS256 secrets the service signs or verifies with. */
  secrets?: Record<string, string | undefined>;
  /** Development conveniences that must be off in production (e.g. WEB_DEV_TOKENS). */
  devOnly?: Record<string, boolean>;
  redis?: { REDIS_URL: string } & RedisSecurityEnv;
  kafka?: KafkaSecurityEnv;
  metrics?: MetricsEnv;
}

/**
 * Start-up refusals shared by every service: throws one ConfigError naming each variable to fix.
 * Consistency (SASL variables together) is checked always; the rest only when NODE_ENV=production,
 * where a development default would otherwise ship silently.
 */
export function checkSecurity(runtime: RuntimeEnv, checks: SecurityChecks): void {
  const problems = [...(checks.kafka ? saslConsistency(checks.kafka) : [])];
  if (runtime.NODE_ENV === 'production') problems.push(...productionProblems(checks));
  if (problems.length > 0) throw new ConfigError(problems);
}

function productionProblems(checks: SecurityChecks): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(checks.secrets ?? {})) {
    if (value === DEV_JWT_SECRET) {
      problems.push(`${name}: is the public development secret; production needs its own (e.g. openssl rand -hex 32)`);
    } else if (value !== undefined && value.length < MIN_PRODUCTION_SECRET_LENGTH) {
      problems.push(`${name}: expected at least ${MIN_PRODUCTION_SECRET_LENGTH} characters in production`);
    }
  }
  for (const [name, on] of Object.entries(checks.devOnly ?? {})) {
    if (on) problems.push(`${name}: a development-only feature, refused in production (set ${name}=false)`);
  }
  if (checks.redis && !checks.redis.ALLOW_INSECURE_REDIS && !hasPassword(checks.redis.REDIS_URL)) {
    problems.push('REDIS_URL: has no password; production needs redis://user:password@host (or set ALLOW_INSECURE_REDIS=true)');
  }
  if (checks.kafka && !checks.kafka.ALLOW_INSECURE_KAFKA) {
    if (!checks.kafka.KAFKA_SASL_MECHANISM) {
      problems.push('KAFKA_SASL_MECHANISM: production needs SASL authentication to Kafka (or set ALLOW_INSECURE_KAFKA=true)');
    }
    if (!checks.kafka.KAFKA_TLS) {
      problems.push('KAFKA_TLS: production needs TLS to Kafka, set KAFKA_TLS=true (or set ALLOW_INSECURE_KAFKA=true)');
    }
  }
  if (checks.metrics && !checks.metrics.METRICS_TOKEN) {
    problems.push('METRICS_TOKEN: required in production (/metrics then needs Authorization: Bearer <token>)');
  }
  return problems;
}

function saslConsistency(kafka: KafkaSecurityEnv): string[] {
  const given = { KAFKA_SASL_USERNAME: kafka.KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD: kafka.KAFKA_SASL_PASSWORD };
  if (kafka.KAFKA_SASL_MECHANISM) {
    return Object.entries(given)
      .filter(([, value]) => value === undefined)
      .map(([name]) => `${name}: required when KAFKA_SASL_MECHANISM is set`);
  }
  return Object.entries(given)
    .filter(([, value]) => value !== undefined)
    .map(([name]) => `${name}: set but KAFKA_SASL_MECHANISM is not (expected plain, scram-sha-256 or scram-sha-512)`);
}

function hasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}
