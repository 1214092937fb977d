import { ConfigError } from '@chat/config';
import { loadGatewayConfig } from './gateway.config';

function problemsOf(source: NodeJS.ProcessEnv): string[] {
  try {
    loadGatewayConfig(source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
const variables = (problems: string[]) => problems.map((p) => p.split(':')[0]).sort();

/** Production with everything secured except what a test changes. */
const SECURED: NodeJS.ProcessEnv = {
  NODE_ENV: 'production',
  AUTH_JWT_SECRET: 'x'.repeat(64),
  REDIS_URL: 'rediss://chat:pw@redis:6380',
  KAFKA_TLS: 'true',
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'chat',
  KAFKA_SASL_PASSWORD: 'pw',
  METRICS_TOKEN: 'metrics-token-0123456789',
};

describe('loadGatewayConfig', () => {
  it('defaults: the local web client’s origins, 24 h token lifetime, loopback, HS256', () => {
    const config = loadGatewayConfig({});
    expect(config.GATEWAY_ALLOWED_ORIGINS).toEqual(['http://127.0.0.1:8080', 'http://localhost:8080']);
    expect(config.AUTH_MAX_TOKEN_LIFETIME_SEC).toBe(86_400);
    expect(config.LISTEN_HOST).toBe('127.0.0.1');
    expect(config.AUTH_JWKS_URL).toBeUndefined();
  });

  it('names a bad origin list', () => {
    expect(problemsOf({ GATEWAY_ALLOWED_ORIGINS: '*' })[0]).toMatch(/^GATEWAY_ALLOWED_ORIGINS: /);
  });

  it('refuses the development secret in production, and every other insecure default, naming each variable', () => {
    expect(variables(problemsOf({ NODE_ENV: 'production' }))).toEqual(['AUTH_JWT_SECRET', 'KAFKA_SASL_MECHANISM', 'KAFKA_TLS', 'METRICS_TOKEN', 'REDIS_URL']);
    expect(problemsOf({ ...SECURED, AUTH_JWT_SECRET: 'dev-secret-change-me' })).toEqual([
      'AUTH_JWT_SECRET: is the public development secret; production needs its own (e.g. openssl rand -hex 32)',
    ]);
    expect(problemsOf(SECURED)).toEqual([]);
  });

  it('wants the issuer and audience with a JWKS URL', () => {
    expect(variables(problemsOf({ AUTH_JWKS_URL: 'https://idp.example/jwks.json' }))).toEqual(['AUTH_JWT_AUDIENCE', 'AUTH_JWT_ISSUER']);
    const jwks = { AUTH_JWKS_URL: 'https://idp.example/jwks.json', AUTH_JWT_ISSUER: 'https://idp.example/', AUTH_JWT_AUDIENCE: 'chat' };
    expect(loadGatewayConfig(jwks).AUTH_JWT_AUDIENCE).toBe('chat');
    // In production the keys must come over https; the unused HS256 secret may stay at its default.
    expect(problemsOf({ ...SECURED, ...jwks, AUTH_JWT_SECRET: undefined })).toEqual([]);
    expect(variables(problemsOf({ ...SECURED, ...jwks, AUTH_JWKS_URL: 'http://idp.example/jwks.json' }))).toEqual(['AUTH_JWKS_URL']);
  });
});
