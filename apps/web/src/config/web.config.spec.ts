import { ConfigError } from '@chat/config';
import { loadWebConfig, toOrigin } from './web.config';

describe('web config', () => {
  it('has local defaults', () => {
    expect(loadWebConfig({})).toEqual({
      NODE_ENV: 'development',
      LISTEN_HOST: '127.0.0.1',
      WEB_PORT: 8080,
      WEB_GATEWAY_URLS: ['http://127.0.0.1:3000', 'http://127.0.0.1:3001'],
      AUTH_JWT_SECRET: 'dev-secret-change-me',
      WEB_DEV_TOKENS: true,
      SHUTDOWN_GRACE_MS: 5000,
    });
  });

  it('reads every variable', () => {
    const config = loadWebConfig({
      WEB_PORT: '9090',
      WEB_GATEWAY_URLS: ' http://127.0.0.1:3100/ , https://chat.example.com,http://127.0.0.1:3100',
      AUTH_JWT_SECRET: 's3cret',
      WEB_DEV_TOKENS: 'false',
      WEB_STATIC_DIR: '/srv/web',
      SHUTDOWN_GRACE_MS: '100',
    });
    expect(config).toEqual({
      NODE_ENV: 'development',
      LISTEN_HOST: '127.0.0.1',
      WEB_PORT: 9090,
      WEB_GATEWAY_URLS: ['http://127.0.0.1:3100', 'https://chat.example.com'],
      AUTH_JWT_SECRET: 's3cret',
      WEB_DEV_TOKENS: false,
      WEB_STATIC_DIR: '/srv/web',
      SHUTDOWN_GRACE_MS: 100,
    });
  });

  it.each([
    ['WEB_PORT', 'eighty'],
    ['WEB_PORT', '70000'],
    ['WEB_GATEWAY_URLS', 'ftp://127.0.0.1:3000'],
    ['WEB_GATEWAY_URLS', 'http://127.0.0.1:3000/chat'],
    ['WEB_GATEWAY_URLS', '127.0.0.1:3000'],
    ['WEB_GATEWAY_URLS', ' , '],
    ['WEB_DEV_TOKENS', 'yes'],
    ['AUTH_JWT_SECRET', ''],
  ])('refuses %s=%j, naming the variable', (variable, value) => {
    let error: unknown;
    try {
      loadWebConfig({ [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(1);
    const [problem = ''] = problems;
    expect(problem.startsWith(`${variable}: `)).toBe(true);
    expect(problem).toContain(`(got ${JSON.stringify(value)})`);
  });

  it('accepts only bare http(s) origins as gateways', () => {
    expect(toOrigin('http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
    expect(toOrigin('HTTPS://Chat.Example.com:443/')).toBe('https://chat.example.com');
    expect(toOrigin('http://user:pw@127.0.0.1:3000')).toBeNull();
    expect(toOrigin('http://127.0.0.1:3000/?x=1')).toBeNull();
    expect(toOrigin('javascript:alert(1)')).toBeNull();
    expect(toOrigin('not a url')).toBeNull();
  });

  it('refuses the development login in production, naming WEB_DEV_TOKENS', () => {
    expect(() => loadWebConfig({ NODE_ENV: 'production' })).toThrow(/WEB_DEV_TOKENS: a development-only feature, refused in production/);
    const metricsToken = 'm'.repeat(32);
    expect(loadWebConfig({ NODE_ENV: 'production', WEB_DEV_TOKENS: 'false', LISTEN_HOST: '0.0.0.0', METRICS_TOKEN: metricsToken })).toMatchObject({
      WEB_DEV_TOKENS: false,
      LISTEN_HOST: '0.0.0.0',
    });
  });

  it('refuses an unprotected /metrics in production, like every service', () => {
    expect(() => loadWebConfig({ NODE_ENV: 'production', WEB_DEV_TOKENS: 'false' })).toThrow(/METRICS_TOKEN: required in production/);
  });

  it('checks readiness against WEB_READINESS_GATEWAY_URLS when given (the in-cluster gateway Service)', () => {
    expect(loadWebConfig({ WEB_READINESS_GATEWAY_URLS: 'http://gateway:3000/' }).WEB_READINESS_GATEWAY_URLS).toEqual(['http://gateway:3000']);
    expect(loadWebConfig({}).WEB_READINESS_GATEWAY_URLS).toBeUndefined();
    expect(() => loadWebConfig({ WEB_READINESS_GATEWAY_URLS: 'gateway:3000/x' })).toThrow(/not an http\(s\) origin/);
  });
});
