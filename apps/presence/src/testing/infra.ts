import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import Redis from 'ioredis';
import { loadPresenceConfig, PresenceConfig } from '../config/presence.config';

// Shared by every service's integration tests; re-exported so a test imports its helpers from one place.
export { eventually, silentLogger, sleep } from '@chat/bootstrap/testing';

/** Ids unique to this run (lowercase: they also make valid public room ids). */
export const RUN = `${Date.now().toString(36)}${randomUUID().slice(0, 4)}`;

/**
 * Integration tests run against the real local infrastructure; env overrides the local defaults.
 * The consumer group is this run's own, so a presence service running in dev cannot take its
 * partitions (both would apply the same events to the same state, idempotently).
 */
export function testConfig(overrides: Partial<PresenceConfig> = {}): PresenceConfig {
  return {
    ...loadPresenceConfig(process.env),
    LOG_LEVEL: 'silent',
    PRESENCE_GROUP_ID: `presence-it-${RUN}`,
    PRESENCE_INSTANCE_ID: `it-${RUN}-${randomUUID().slice(0, 4)}`,
    ...overrides,
  };
}

export function testRedis(config = testConfig()): Redis {
  return new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
}

export function testKafka(config = testConfig()): Kafka {
  return new Kafka({ clientId: 'presence-it', brokers: config.KAFKA_BROKERS, logLevel: logLevel.NOTHING });
}
