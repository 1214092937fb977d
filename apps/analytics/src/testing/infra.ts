import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import Redis from 'ioredis';
import pino from 'pino';
import { createAnalyticsApp } from '../bootstrap';
import { AnalyticsConfig, loadAnalyticsConfig } from '../config/analytics.config';

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

export const silentLogger = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

export const testRedis = (config: AnalyticsConfig) => new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
export const testKafka = (config: AnalyticsConfig) => new Kafka({ clientId: 'analytics-it', brokers: config.KAFKA_BROKERS, logLevel: logLevel.NOTHING });

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` returns a value that `done` accepts; fails with the last value seen. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (done(last)) return last;
    await sleep(everyMs);
  }
  throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
}

export interface RunningAnalytics {
  app: INestApplication;
  get<T>(path: string): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** The real app on an ephemeral port, consuming. */
export async function startAnalytics(config: AnalyticsConfig): Promise<RunningAnalytics> {
  const { app, startDependents } = await createAnalyticsApp(config, silentLogger);
  await app.listen(0, '127.0.0.1');
  await startDependents();
  const { port } = app.getHttpServer().address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    app,
    async get<T>(path: string) {
      const response = await fetch(`${base}${path}`);
      return { status: response.status, body: (await response.json()) as T };
    },
    close: () => app.close(),
  };
}
