import { z } from 'zod';
import { ConfigError, env, loadConfig } from './load-config';

const schema = z.object({
  GATEWAY_PORT: env.port(3000),
  KAFKA_BROKERS: env.brokers('127.0.0.1:9092'),
  REDIS_URL: env.url('redis://127.0.0.1:6379', ['redis:']),
  ACK_TIMEOUT_MS: env.positiveInt(5000),
});

describe('loadConfig', () => {
  it('applies defaults', () => {
    expect(loadConfig(schema, {})).toEqual({
      GATEWAY_PORT: 3000,
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      REDIS_URL: 'redis://127.0.0.1:6379',
      ACK_TIMEOUT_MS: 5000,
    });
  });

  it('parses the values given', () => {
    const config = loadConfig(schema, { GATEWAY_PORT: '3001', KAFKA_BROKERS: 'a:1, b:2' });
    expect(config.GATEWAY_PORT).toBe(3001);
    expect(config.KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
  });

  it('names every bad variable and the value it had', () => {
    let error: unknown;
    try {
      loadConfig(schema, { GATEWAY_PORT: 'abc', REDIS_URL: 'http://x', KAFKA_BROKERS: 'nohost', ACK_TIMEOUT_MS: '-5' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('GATEWAY_PORT');
    expect(message).toContain('"abc"');
    expect(message).toContain('REDIS_URL');
    expect(message).toContain('KAFKA_BROKERS');
    expect(message).toContain('ACK_TIMEOUT_MS');
    expect((error as ConfigError).problems).toHaveLength(4);
  });

  it('rejects a port out of range', () => {
    expect(() => loadConfig(schema, { GATEWAY_PORT: '70000' })).toThrow(/GATEWAY_PORT: expected a TCP port between 1 and 65535/);
  });
});

describe('env.nonNegativeInt', () => {
  const lingerSchema = z.object({ LINGER_MS: env.nonNegativeInt(5) });

  it('takes 0 and positive integers, defaulting when unset', () => {
    expect(loadConfig(lingerSchema, {})).toEqual({ LINGER_MS: 5 });
    expect(loadConfig(lingerSchema, { LINGER_MS: '0' })).toEqual({ LINGER_MS: 0 });
    expect(loadConfig(lingerSchema, { LINGER_MS: '12' })).toEqual({ LINGER_MS: 12 });
  });

  it('refuses negative and fractional values, naming the variable', () => {
    for (const value of ['-1', '1.5', 'soon']) {
      expect(() => loadConfig(lingerSchema, { LINGER_MS: value })).toThrow(/LINGER_MS/);
    }
  });
});

describe('env.optionalUrl', () => {
  const jwks = z.object({ JWKS_URL: env.optionalUrl(['https:']) });

  it('is undefined when unset and checks the protocol when set', () => {
    expect(loadConfig(jwks, {}).JWKS_URL).toBeUndefined();
    expect(loadConfig(jwks, { JWKS_URL: 'https://idp.example/.well-known/jwks.json' }).JWKS_URL).toBe('https://idp.example/.well-known/jwks.json');
    expect(() => loadConfig(jwks, { JWKS_URL: 'ftp://idp.example' })).toThrow(/JWKS_URL: expected a URL with protocol https:/);
  });
});
