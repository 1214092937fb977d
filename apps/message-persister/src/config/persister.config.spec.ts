import { ConfigError } from '@chat/config';
import { loadMigrateConfig, loadPersisterConfig } from './persister.config';

describe('loadPersisterConfig', () => {
  it('uses the local defaults when nothing is set', () => {
    const config = loadPersisterConfig({});
    expect(config).toEqual({
      PERSISTER_PORT: 3010,
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_REPLICATION_FACTOR: 1,
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATABASE_URL: 'postgres://chat:chat@127.0.0.1:5432/chat',
      RECENT_HISTORY_SIZE: 200,
      CONSUMER_MAX_BATCH_ATTEMPTS: 4,
      MIGRATE_ON_START: true,
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
      LISTEN_HOST: '127.0.0.1',
      KAFKA_TLS: false,
      ALLOW_INSECURE_KAFKA: false,
      ALLOW_INSECURE_REDIS: false,
    });
  });

  it('the migrate command reads only DATABASE_URL and LOG_LEVEL: production refusals about Kafka and Redis do not apply', () => {
    const job = { NODE_ENV: 'production', DATABASE_URL: 'postgres://chat:secret@db:5432/chat' };
    expect(() => loadPersisterConfig(job)).toThrow(/KAFKA_SASL_MECHANISM/);
    expect(loadMigrateConfig(job)).toEqual({ DATABASE_URL: job.DATABASE_URL, LOG_LEVEL: 'info' });
    expect(() => loadMigrateConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: expected a URL with protocol postgres: or postgresql:/);
  });

  it('MIGRATE_ON_START: false turns start-up migrations off; anything but true/false is named', () => {
    expect(loadPersisterConfig({ MIGRATE_ON_START: 'false' }).MIGRATE_ON_START).toBe(false);
    expect(() => loadPersisterConfig({ MIGRATE_ON_START: 'no' })).toThrow(/MIGRATE_ON_START: expected true or false \(got "no"\)/);
  });

  it('parses overrides', () => {
    const config = loadPersisterConfig({ PERSISTER_PORT: '4000', KAFKA_BROKERS: 'a:1, b:2', RECENT_HISTORY_SIZE: '10' });
    expect(config.PERSISTER_PORT).toBe(4000);
    expect(config.KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
    expect(config.RECENT_HISTORY_SIZE).toBe(10);
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadPersisterConfig({ PERSISTER_PORT: 'abc', DATABASE_URL: 'mysql://x', RECENT_HISTORY_SIZE: '0', LOG_LEVEL: 'loud', CONSUMER_MAX_BATCH_ATTEMPTS: '50' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const variable of ['PERSISTER_PORT', 'DATABASE_URL', 'RECENT_HISTORY_SIZE', 'LOG_LEVEL', 'CONSUMER_MAX_BATCH_ATTEMPTS']) {
      expect(message).toContain(variable);
    }
  });

  it('refuses, in production, Redis without a password, Kafka without SASL and TLS, and /metrics without a token', () => {
    const problems = problemsOf(() => loadPersisterConfig({ NODE_ENV: 'production' }));
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
    expect(loadPersisterConfig(secured).KAFKA_TLS).toBe(true);
    const allowed = { NODE_ENV: 'production', ALLOW_INSECURE_REDIS: 'true', ALLOW_INSECURE_KAFKA: 'true', METRICS_TOKEN: 'metrics-token-0123456789' };
    expect(loadPersisterConfig(allowed).NODE_ENV).toBe('production');
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
