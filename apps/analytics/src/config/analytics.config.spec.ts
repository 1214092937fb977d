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

  it('refuses, in production, Redis without a password, Kafka without SASL and TLS, /metrics without a token and the dev JWT secret', () => {
    const problems = problemsOf(() => loadAnalyticsConfig({ NODE_ENV: 'production' }));
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['AUTH_JWT_SECRET', 'KAFKA_SASL_MECHANISM', 'KAFKA_TLS', 'METRICS_TOKEN', 'REDIS_URL']);
  });

  it('verifies operator tokens with a JWKS only given its issuer and audience (https in production), and then needs no secret', () => {
    const jwks = { AUTH_JWKS_URL: 'http://idp.example/jwks.json' };
    expect(problemsOf(() => loadAnalyticsConfig(jwks)).map((p) => p.split(':')[0]).sort()).toEqual(['AUTH_JWT_AUDIENCE', 'AUTH_JWT_ISSUER']);
    const production = { NODE_ENV: 'production', ...jwks, AUTH_JWT_ISSUER: 'https://idp.example/', AUTH_JWT_AUDIENCE: 'ops' };
    expect(problemsOf(() => loadAnalyticsConfig(production)).map((p) => p.split(':')[0])).toContain('AUTH_JWKS_URL');
    expect(problemsOf(() => loadAnalyticsConfig({ ...production, AUTH_JWKS_URL: 'https://idp.example/jwks.json' })).map((p) => p.split(':')[0])).not.toContain('AUTH_JWT_SECRET');
  });
});
