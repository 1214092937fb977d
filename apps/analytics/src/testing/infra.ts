import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import Redis from 'ioredis';
import { RunningService, silentLogger, startForTest } from '@chat/bootstrap/testing';
import { createAnalyticsApp } from '../bootstrap';
import { AnalyticsConfig, loadAnalyticsConfig } from '../config/analytics.config';

// Shared by every service's integration tests; re-exported so a test imports its helpers from one place.
export { eventually, silentLogger, sleep } from '@chat/bootstrap/testing';

/** Ids unique to this run (lowercase: they also make valid public room ids and key spaces). */
export const RUN = `${Date.now().toString(36)}${randomUUID().slice(0, 4)}`;

/** The run's own groups and key space: other runs and a dev analytics never share its counts. */
export function testConfig(overrides: Partial<AnalyticsConfig> = {}): AnalyticsConfig {
  return {
    ...loadAnalyticsConfig(process.env),
    LOG_LEVEL: 'silent',
    ANALYTICS_GROUP_ID: `analytics-it-${RUN}`,
    ANALYTICS_KEY_SPACE: `analytics-it-${RUN}`,
    ...overrides,
  };
}

export const testRedis = (config: AnalyticsConfig) => new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
export const testKafka = (config: AnalyticsConfig) => new Kafka({ clientId: 'analytics-it', brokers: config.KAFKA_BROKERS, logLevel: logLevel.NOTHING });

export interface RunningAnalytics extends RunningService {
  get<T>(path: string): Promise<{ status: number; body: T }>;
}

/** The real app on an ephemeral port, consuming. */
export async function startAnalytics(config: AnalyticsConfig): Promise<RunningAnalytics> {
  const running = await startForTest(await createAnalyticsApp(config, silentLogger));
  return {
    ...running,
    async get<T>(path: string) {
      const response = await fetch(`${running.baseUrl}${path}`);
      return { status: response.status, body: (await response.json()) as T };
    },
  };
}
