import { z } from 'zod';
import { checkSecurity, SecurityChecks } from './check-security';
import { ConfigError, env, loadConfig } from './load-config';
import { DEV_JWT_SECRET, kafkaSecurityEnv, kafkaSecurityOf, metricsEnv, redisSecurityEnv, runtimeEnv } from './security-env';

const schema = z.object({
  ...runtimeEnv,
  ...kafkaSecurityEnv,
  ...redisSecurityEnv,
  ...metricsEnv,
  REDIS_URL: env.url('redis://127.0.0.1:6379', ['redis:', 'rediss:']),
  AUTH_JWT_SECRET: env.string(DEV_JWT_SECRET),
  WEB_DEV_TOKENS: env.flag(true),
});

/** A service's loader: parse, then the shared checks. */
function load(source: NodeJS.ProcessEnv): void {
  const config = loadConfig(schema, source);
  const checks: SecurityChecks = {
    secrets: { AUTH_JWT_SECRET: config.AUTH_JWT_SECRET },
    devOnly: { WEB_DEV_TOKENS: config.WEB_DEV_TOKENS },
    redis: config,
    kafka: config,
    metrics: config,
  };
  checkSecurity(config, checks);
}

const problemsOf = (source: NodeJS.ProcessEnv): string[] => {
  try {
    load(source);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

const SECURE: NodeJS.ProcessEnv = {
  NODE_ENV: 'production',
  AUTH_JWT_SECRET: 'a'.repeat(64),
  WEB_DEV_TOKENS: 'false',
  REDIS_URL: 'rediss://chat:s3cret@redis.example:6380',
  KAFKA_TLS: 'true',
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'chat',
  KAFKA_SASL_PASSWORD: 'pw',
  METRICS_TOKEN: 'm'.repeat(32),
};

describe('checkSecurity', () => {
  it('lets local use run on the development defaults', () => {
    expect(problemsOf({})).toEqual([]);
    expect(problemsOf({ NODE_ENV: 'test' })).toEqual([]);
  });

  it('accepts a production configuration with secrets, Redis password, Kafka TLS + SASL and a metrics token', () => {
    expect(problemsOf(SECURE)).toEqual([]);
  });

  it('refuses every development default in production, naming each variable', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(
      ['AUTH_JWT_SECRET', 'KAFKA_SASL_MECHANISM', 'KAFKA_TLS', 'METRICS_TOKEN', 'REDIS_URL', 'WEB_DEV_TOKENS'].sort(),
    );
    expect(problems.find((p) => p.startsWith('AUTH_JWT_SECRET'))).toMatch(/development secret/);
  });

  it('refuses a short secret and a Redis URL with a user but no password', () => {
    expect(problemsOf({ ...SECURE, AUTH_JWT_SECRET: 'short-secret' })).toEqual([
      'AUTH_JWT_SECRET: expected at least 32 characters in production',
    ]);
    expect(problemsOf({ ...SECURE, REDIS_URL: 'redis://chat@redis.example:6379' })[0]).toMatch(/^REDIS_URL: has no password/);
  });

  it('accepts insecure Redis and Kafka only when explicitly allowed', () => {
    const plain = { ...SECURE, REDIS_URL: 'redis://redis:6379', KAFKA_TLS: 'false', KAFKA_SASL_MECHANISM: undefined, KAFKA_SASL_USERNAME: undefined, KAFKA_SASL_PASSWORD: undefined };
    expect(problemsOf(plain)).toHaveLength(3);
    expect(problemsOf({ ...plain, ALLOW_INSECURE_REDIS: 'true', ALLOW_INSECURE_KAFKA: 'true' })).toEqual([]);
  });

  it('always wants the SASL variables together', () => {
    expect(problemsOf({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' })).toEqual([
      'KAFKA_SASL_PASSWORD: required when KAFKA_SASL_MECHANISM is set',
    ]);
    expect(problemsOf({ KAFKA_SASL_USERNAME: 'u' })[0]).toMatch(/^KAFKA_SASL_USERNAME: set but KAFKA_SASL_MECHANISM is not/);
  });

  it('refuses an unknown NODE_ENV rather than guessing whether it is production', () => {
    expect(problemsOf({ NODE_ENV: 'prod' })[0]).toMatch(/^NODE_ENV: expected development, test or production/);
  });
});

describe('kafkaSecurityOf', () => {
  it('gives TLS and the SASL credentials together', () => {
    const config = loadConfig(schema, SECURE);
    expect(kafkaSecurityOf(config)).toEqual({ tls: true, sasl: { mechanism: 'scram-sha-512', username: 'chat', password: 'pw' } });
    expect(kafkaSecurityOf(loadConfig(schema, {}))).toEqual({ tls: false, sasl: undefined });
  });
});

describe('env.origins', () => {
  const origins = z.object({ ORIGINS: env.origins('http://127.0.0.1:8080,http://localhost:8080') });

  it('splits a comma-separated list, defaulting when unset', () => {
    expect(loadConfig(origins, {}).ORIGINS).toEqual(['http://127.0.0.1:8080', 'http://localhost:8080']);
    expect(loadConfig(origins, { ORIGINS: ' https://chat.example.com ' }).ORIGINS).toEqual(['https://chat.example.com']);
  });

  it('refuses paths, wildcards and other schemes, naming the variable', () => {
    for (const value of ['https://chat.example.com/', '*', 'ftp://x', 'https://a.example/path', '']) {
      expect(() => loadConfig(origins, { ORIGINS: value })).toThrow(/ORIGINS: expected comma-separated origins/);
    }
  });
});
