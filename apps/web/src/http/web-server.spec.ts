import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { request as httpRequest, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import pino from 'pino';
import { USER_ID_PATTERN } from '@chat/contracts';
import { shutdownGracefully } from '../shutdown';
import { contentSecurityPolicy } from './security-headers';
import { Registry } from '@chat/metrics';
import { StaticFiles } from './static-files';
import { createWebServer, requestPath } from './web-server';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request: the path goes on the wire exactly as given (fetch would normalize it). */
function send(port: number, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const GATEWAY_A = 'http://127.0.0.1:3100';
const GATEWAY_B = 'http://127.0.0.1:3101';
const GATEWAYS = [GATEWAY_A, GATEWAY_B];

describe('web server', () => {
  let dir: string;
  let files: StaticFiles;
  const servers: Server[] = [];

  let ready = true;
  const readiness = { check: async () => ({ ready, gateways: Object.fromEntries(GATEWAYS.map((g) => [g, ready])) }) };
  const start = async (devTokens = true, metricsToken?: string): Promise<number> => {
    const server = createWebServer({
      config: { WEB_GATEWAY_URLS: GATEWAYS, AUTH_JWT_SECRET: 'spec-secret', WEB_DEV_TOKENS: devTokens },
      files,
      logger: pino({ level: 'silent' }),
      readiness,
      metrics: { registry: new Registry(), token: metricsToken },
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'web-server-'));
    mkdirSync(join(dir, 'public'));
    writeFileSync(join(dir, 'public/index.html'), '<!doctype html><title>chat</title>');
    writeFileSync(join(dir, 'public/app.js'), 'boot()');
    writeFileSync(join(dir, 'secret.js'), 'outside the public folder');
    files = StaticFiles.load(join(dir, 'public'));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => shutdownGracefully(s, 100)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the client with security headers, a CSP naming the gateways, and ETags', async () => {
    const port = await start();
    const index = await send(port, 'GET', '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('<title>chat</title>');
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['x-frame-options']).toBe('DENY');
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    const csp = String(index.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:3100 ws://127.0.0.1:3100 http://127.0.0.1:3101 ws://127.0.0.1:3101");
    expect(csp).toContain("frame-ancestors 'none'");

    const again = await send(port, 'GET', '/', undefined, { 'If-None-Match': String(index.headers['etag']) });
    expect(again.status).toBe(304);
    const head = await send(port, 'HEAD', '/app.js');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('6');
    expect(head.body).toBe('');
  });

  it.each(['/../secret.js', '/%2e%2e/secret.js', '/%2e%2e%2fsecret.js', '/..%5csecret.js', '/nope.js', '/.env'])(
    'answers 404 to %s and never leaks a file outside the folder',
    async (path) => {
      const port = await start();
      const res = await send(port, 'GET', path);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('outside the public folder');
      expect(JSON.parse(res.body)).toEqual({ error: { code: 'NOT_FOUND', message: 'no such file' } });
    },
  );

  it('is not ready while none of its gateways answers, and says which', async () => {
    const port = await start();
    ready = false;
    try {
      const res = await send(port, 'GET', '/health/ready');
      expect([res.status, JSON.parse(res.body)]).toEqual([503, { status: 'unavailable', gateways: { [GATEWAY_A]: false, [GATEWAY_B]: false } }]);
      expect((await send(port, 'GET', '/health/live')).status).toBe(200);
    } finally {
      ready = true;
    }
  });

  it('serves /metrics, counting its requests by route, and only with the bearer token when one is set', async () => {
    const open = await start();
    await send(open, 'GET', '/config.json');
    await send(open, 'GET', '/app.js');
    const scrape = await send(open, 'GET', '/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.body).toContain('web_http_requests_total{route="/config.json",status="200"} 1');
    expect(scrape.body).toContain('web_http_requests_total{route="static",status="200"} 1');

    const token = 'web-metrics-token-0123456789';
    const guarded = await start(true, token);
    expect((await send(guarded, 'GET', '/metrics')).status).toBe(401);
    expect((await send(guarded, 'GET', '/metrics', undefined, { Authorization: `Bearer ${token}x` })).status).toBe(401);
    expect((await send(guarded, 'GET', '/metrics', undefined, { Authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('answers health and the client config', async () => {
    const port = await start();
    for (const path of ['/health/live', '/health/ready']) {
      const res = await send(port, 'GET', path);
      expect([res.status, JSON.parse(res.body)]).toEqual([200, expect.objectContaining({ status: 'ok' })]);
    }
    const config = await send(port, 'GET', '/config.json?v=1');
    expect(config.status).toBe(200);
    expect(config.headers['cache-control']).toBe('no-store');
    const body = JSON.parse(config.body);
    expect(body.gateways).toEqual(GATEWAYS);
    expect(body.devTokens).toBe(true);
    expect(new RegExp(body.protocol.userIdPattern).source).toBe(USER_ID_PATTERN.source);
    expect(body.protocol.maxBodyLength).toBe(4000);
  });

  it('mints a dev token for a valid user id', async () => {
    const port = await start();
    const res = await send(port, 'POST', '/dev/token', JSON.stringify({ userId: 'alice', name: 'Alice' }), {
      'Content-Type': 'application/json; charset=utf-8',
    });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const claims = jwt.verify(JSON.parse(res.body).token, 'spec-secret', { algorithms: ['HS256'] }) as jwt.JwtPayload;
    expect(claims).toMatchObject({ sub: 'alice', name: 'Alice' });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(12 * 3600);
  });

  it.each([
    ['an invalid user id', JSON.stringify({ userId: 'not valid!' }), 400, 'INVALID_PAYLOAD', /userId must be 1-64 characters/],
    ['a missing user id', JSON.stringify({ name: 'x' }), 400, 'INVALID_PAYLOAD', /userId/],
    ['broken JSON', '{"userId":', 400, 'INVALID_PAYLOAD', /not valid JSON/],
    ['a body over 4 KiB', JSON.stringify({ userId: 'alice', name: 'x'.repeat(5000) }), 413, 'PAYLOAD_TOO_LARGE', /at most 4096 bytes/],
  ])('answers %s with a clear JSON error', async (_, body, status, code, message) => {
    const port = await start();
    const res = await send(port, 'POST', '/dev/token', body, { 'Content-Type': 'application/json' });
    expect(res.status).toBe(status);
    const error = JSON.parse(res.body).error;
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('wants JSON and POST on /dev/token', async () => {
    const port = await start();
    const form = await send(port, 'POST', '/dev/token', 'userId=alice', { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    const get = await send(port, 'GET', '/dev/token');
    expect(get.status).toBe(405);
    expect(get.headers['allow']).toBe('POST');
    const postStatic = await send(port, 'POST', '/index.html', '{}', { 'Content-Type': 'application/json' });
    expect(postStatic.status).toBe(405);
  });

  it('has no /dev/token when dev tokens are disabled', async () => {
    const port = await start(false);
    const res = await send(port, 'POST', '/dev/token', JSON.stringify({ userId: 'alice' }), { 'Content-Type': 'application/json' });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).error.message).toContain('WEB_DEV_TOKENS=false');
    expect(JSON.parse((await send(port, 'GET', '/config.json')).body).devTokens).toBe(false);
  });

  it('stops gracefully, closing idle keep-alive connections', async () => {
    const port = await start();
    await send(port, 'GET', '/health/live', undefined, { Connection: 'keep-alive' });
    const server = servers.pop() as Server;
    const started = Date.now();
    await shutdownGracefully(server, 5000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(server.listening).toBe(false);
  });

  it('extracts the raw request path', () => {
    expect(requestPath('/a/b.js?x=1#y')).toBe('/a/b.js');
    expect(requestPath('/%2e%2e/x')).toBe('/%2e%2e/x');
    expect(requestPath('http://host/app.js?x')).toBe('/app.js');
    expect(requestPath('*')).toBeNull();
    expect(requestPath(undefined)).toBeNull();
  });

  it('builds a CSP that also allows WebSockets to https gateways', () => {
    expect(contentSecurityPolicy(['https://chat.example.com'])).toContain("connect-src 'self' https://chat.example.com wss://chat.example.com;");
  });
});
