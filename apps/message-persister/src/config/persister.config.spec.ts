import { ConfigError } from '@chat/config';
import { loadPersisterConfig } from './persister.config';

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
      MIGRATE_ON_START: true,
      LOG_LEVEL: 'info',
    });
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
      loadPersisterConfig({ PERSISTER_PORT: 'abc', DATABASE_URL: 'mysql://x', RECENT_HISTORY_SIZE: '0', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const variable of ['PERSISTER_PORT', 'DATABASE_URL', 'RECENT_HISTORY_SIZE', 'LOG_LEVEL']) {
      expect(message).toContain(variable);
    }
  });
});
