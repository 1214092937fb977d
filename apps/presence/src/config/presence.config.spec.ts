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
      CONSUMER_MAX_BATCH_ATTEMPTS: 4,
      LOG_LEVEL: 'info',
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
});
