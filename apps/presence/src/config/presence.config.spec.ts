import { ConfigError } from '@chat/config';
import { loadPresenceConfig } from './presence.config';

describe('loadPresenceConfig', () => {
  it('uses the local defaults when nothing is set', () => {
    expect(loadPresenceConfig({})).toEqual({
      PRESENCE_PORT: 3020,
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_REPLICATION_FACTOR: 1,
      REDIS_URL: 'redis://127.0.0.1:6379',
      PRESENCE_GROUP_ID: 'presence',
      PRESENCE_GRACE_MS: 1000,
      PRESENCE_DEFAULT_LEASE_MS: 15_000,
      PRESENCE_TICK_MS: 200,
      PRESENCE_EVENT_SLACK_MS: 150,
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
      LISTEN_HOST: '127.0.0.1',
      KAFKA_TLS: false,
      ALLOW_INSECURE_KAFKA: false,
      ALLOW_INSECURE_REDIS: false,
    });
  });

  it('parses overrides', () => {
    const config = loadPresenceConfig({ PRESENCE_PORT: '4020', PRESENCE_GRACE_MS: '500', PRESENCE_INSTANCE_ID: 'p-1' });
    expect(config).toMatchObject({ PRESENCE_PORT: 4020, PRESENCE_GRACE_MS: 500, PRESENCE_INSTANCE_ID: 'p-1' });
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadPresenceConfig({ PRESENCE_PORT: 'abc', PRESENCE_GRACE_MS: '0', PRESENCE_TICK_MS: '1000', REDIS_URL: 'http://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    for (const variable of ['PRESENCE_PORT', 'PRESENCE_GRACE_MS', 'PRESENCE_TICK_MS', 'REDIS_URL']) {
      expect((error as ConfigError).message).toContain(variable);
    }
  });

  it('refuses, in production, Redis without a password, Kafka without SASL and TLS, and /metrics without a token', () => {
    const problems = problemsOf(() => loadPresenceConfig({ NODE_ENV: 'production' }));
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['KAFKA_SASL_MECHANISM', 'KAFKA_TLS', 'METRICS_TOKEN', 'REDIS_URL']);
  });

  it('starts in production when secured, or when insecure Redis and Kafka are allowed explicitly', () => {
    const secured = {
      NODE_ENV: 'production',
      REDIS_URL: 'rediss://chat:pw@redis:6380',
      KAFKA_TLS: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'chat',
      KAFKA_SASL_PASSWORD: 'pw',
      METRICS_TOKEN: 'metrics-token-0123456789',
    };
    expect(loadPresenceConfig(secured).KAFKA_TLS).toBe(true);
    const allowed = { NODE_ENV: 'production', ALLOW_INSECURE_REDIS: 'true', ALLOW_INSECURE_KAFKA: 'true', METRICS_TOKEN: 'metrics-token-0123456789' };
    expect(loadPresenceConfig(allowed).NODE_ENV).toBe('production');
  });
});

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
