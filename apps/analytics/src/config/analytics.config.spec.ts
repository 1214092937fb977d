import { ConfigError } from '@chat/config';
import { loadAnalyticsConfig } from './analytics.config';

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadAnalyticsConfig', () => {
  it('uses the local defaults when nothing is set', () => {
    expect(loadAnalyticsConfig({})).toMatchObject({
      ANALYTICS_PORT: 3030,
      ANALYTICS_GROUP_ID: 'analytics',
      ANALYTICS_KEY_SPACE: 'analytics',
      ANALYTICS_SECONDS_KEPT_MS: 300_000,
      ANALYTICS_MINUTES_KEPT_MS: 86_400_000,
      ANALYTICS_FROM_BEGINNING: true,
      LISTEN_HOST: '127.0.0.1',
    });
  });

  it('names every bad variable', () => {
    const problems = problemsOf(() =>
      loadAnalyticsConfig({ ANALYTICS_PORT: 'x', ANALYTICS_KEY_SPACE: 'a:b', ANALYTICS_SECONDS_KEPT_MS: '0', ANALYTICS_FROM_BEGINNING: 'yes' }),
    );
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'ANALYTICS_FROM_BEGINNING',
      'ANALYTICS_KEY_SPACE',
      'ANALYTICS_PORT',
      'ANALYTICS_SECONDS_KEPT_MS',
    ]);
  });

  it('refuses, in production, Redis without a password, Kafka without SASL and TLS, and /metrics without a token', () => {
    const problems = problemsOf(() => loadAnalyticsConfig({ NODE_ENV: 'production' }));
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['KAFKA_SASL_MECHANISM', 'KAFKA_TLS', 'METRICS_TOKEN', 'REDIS_URL']);
  });
});
