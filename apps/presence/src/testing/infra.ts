import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import Redis from 'ioredis';
import pino from 'pino';
import { loadPresenceConfig, PresenceConfig } from '../config/presence.config';

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

export const silentLogger = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

export function testRedis(config = testConfig()): Redis {
  return new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
}

export function testKafka(config = testConfig()): Kafka {
  return new Kafka({ clientId: 'presence-it', brokers: config.KAFKA_BROKERS, logLevel: logLevel.NOTHING });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` returns a value that `done` accepts; fails with the last value seen. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (done(last)) return last;
    await sleep(everyMs);
  }
  throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
}
