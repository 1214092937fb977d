import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { SignJWT } from 'jose';
import { REDIS } from '@chat/redis';
import { createAnalyticsApp } from '../bootstrap';
import type { AnalyticsConfig } from '../config/analytics.config';
import { ErrorsSchema, RoomSchema, SummarySchema } from '../docs/api-schemas';
import { OPS_COOKIE } from '../ops-auth/ops-auth';
import { eventually, silentLogger, testConfig } from '../testing/infra';

/** The HTTP app over real Redis, not consuming: these tests are about serving, not counting. */
async function serve(config: AnalyticsConfig): Promise<{ app: INestApplication; base: string }> {
  const { app } = await createAnalyticsApp(config, silentLogger);
  await app.listen(0, '127.0.0.1');
  // Redis commands fail until its connection is up (no offline queue): wait, as readiness would.
  const redis = app.get<{ status: string }>(REDIS);
  await eventually(async () => redis.status, (status) => status === 'ready', 10_000, 20);
  return { app, base: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}

type OpenApi = { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }> };
const json = async <T = Record<string, unknown>>(response: Response | Promise<Response>): Promise<T> => (await (await response).json()) as T;

/** Reads SSE events off a fetch body until `count` have arrived. */
async function events(response: Response, count: number): Promise<{ event: string; data: string }[]> {
  if (!response.body) throw new Error('no body');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const parsed = () =>
    text
      .split('\n\n')
      .slice(0, -1)
      .map((block) => Object.fromEntries(block.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)])))
      .filter((e): e is { event: string; data: string } => typeof e['event'] === 'string');
  while (parsed().length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  await reader.cancel();
  return parsed();
}

/** Property names, recursively, of a value or of an OpenAPI schema: the int test's guard against drift. */
function schemaShape(schema: SchemaObject | ReferenceObject): unknown {
  if ('$ref' in schema) return '*';
  if (schema.items) return [schemaShape(schema.items)];
  if (!schema.properties) return '*';
  return Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, schemaShape(v)]).sort());
}
function valueShape(value: unknown, like: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 && Array.isArray(like) ? [valueShape(value[0], like[0])] : like;
  if (like === '*' || value === null || typeof value !== 'object') return '*';
  const likeObject = typeof like === 'object' && like !== null ? (like as Record<string, unknown>) : {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, valueShape(v, likeObject[k])]).sort());
}

describe('analytics dashboard, stream and docs (local mode, real Redis)', () => {
  let served: { app: INestApplication; base: string };
  beforeAll(async () => {
    served = await serve(testConfig({ ANALYTICS_SSE_MAX_CLIENTS: 2, ANALYTICS_SSE_INTERVAL_MS: 200 }));
  });
  afterAll(() => served.app.close());

  it('serves the page with a strict CSP, its script and uPlot from this origin, and 404 for anything else', async () => {
    const page = await fetch(`${served.base}/analytics/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('src="dashboard/uPlot.iife.min.js"');
    const uplot = await fetch(`${served.base}/analytics/dashboard/uPlot.iife.min.js`);
    expect(uplot.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await uplot.text()).toContain('uPlot');
    expect((await fetch(`${served.base}/analytics/dashboard/..%2Fmain.js`)).status).toBe(404);
  });

  it('streams the summary JSON as SSE events, bounded: one client past the limit is 503 until another leaves', async () => {
    const first = await fetch(`${served.base}/analytics/stream`);
    expect(first.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const second = new AbortController();
    expect((await fetch(`${served.base}/analytics/stream`, { signal: second.signal })).status).toBe(200);
    const refused = await fetch(`${served.base}/analytics/stream`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');

    const pushed = await events(first, 3);
    expect(pushed.map((e) => e.event)).toEqual(['summary', 'summary', 'summary']);
    const summaries: Record<string, unknown>[] = pushed.map((e) => JSON.parse(e.data));
    expect(new Set(summaries.map((s) => s.at)).size).toBe(3);
    const api = await json(fetch(`${served.base}/analytics/summary`));
    expect(Object.keys(summaries[0]).sort()).toEqual(Object.keys(api).sort());

    second.abort();
    // Both are gone once the server has seen the sockets close: two new streams fit again.
    const deadline = Date.now() + 5000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      const again = await fetch(`${served.base}/analytics/stream`);
      status = again.status;
      await again.body?.cancel();
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
  });

  it('documents the three endpoints in OpenAPI, in the shapes they answer; bad input stays 400 with the reason', async () => {
    const doc = await json<OpenApi>(fetch(`${served.base}/analytics/docs-json`));
    expect(Object.keys(doc.paths).sort()).toEqual(['/analytics/errors', '/analytics/rooms/{roomId}', '/analytics/summary']);
    expect((await fetch(`${served.base}/analytics/docs/`)).status).toBe(200);
    const documented = (path: string) => doc.paths[path].get.responses['200'].content['application/json'].schema;
    expect(documented('/analytics/summary')).toEqual(SummarySchema);
    const answers = [
      [SummarySchema, await json(fetch(`${served.base}/analytics/summary`))],
      [RoomSchema, await json(fetch(`${served.base}/analytics/rooms/never-seen`))],
      [ErrorsSchema, await json(fetch(`${served.base}/analytics/errors?window=5m`))],
    ] as const;
    for (const [schema, body] of answers) expect(valueShape(body, schemaShape(schema))).toEqual(schemaShape(schema));

    const bad = await fetch(`${served.base}/analytics/errors?window=5x`);
    expect(bad.status).toBe(400);
    expect((await json(bad))['message']).toMatch(/window must be a number and a unit/);
    expect((await fetch(`${served.base}/analytics/rooms/${'x'.repeat(300)}`)).status).toBe(400);
  });
});

describe('analytics in production mode: operators only (real Redis)', () => {
  const secret = 'p'.repeat(48);
  let served: { app: INestApplication; base: string };
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('10m').sign(new TextEncoder().encode(secret));
  beforeAll(async () => {
    // The production refusals of the config (Kafka TLS…) are the config spec's; here only the auth.
    served = await serve({ ...testConfig(), NODE_ENV: 'production', AUTH_JWT_SECRET: secret });
  });
  afterAll(() => served.app.close());
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${served.base}${path}`, { headers, redirect: 'manual' });

  it('answers 401 without a token, 403 without the ops role and 200 with it, on the API, the stream, the page and the docs', async () => {
    const ops = { authorization: `Bearer ${await sign({ sub: 'ann', roles: ['ops'] })}` };
    const viewer = { authorization: `Bearer ${await sign({ sub: 'bob', roles: ['viewer'] })}` };
    for (const path of ['/analytics/summary', '/analytics/rooms/general', '/analytics/errors?window=5m', '/analytics/stream', '/analytics/dashboard', '/analytics/dashboard/dashboard.js', '/analytics/docs-json']) {
      const anonymous = await get(path);
      expect([path, anonymous.status]).toEqual([path, 401]);
      expect([path, (await get(path, viewer)).status]).toEqual([path, 403]);
      const allowed = await get(path, ops);
      expect([path, allowed.status]).toEqual([path, 200]);
      await allowed.body?.cancel();
    }
    expect((await get('/analytics/summary')).headers.get('www-authenticate')).toBe('Bearer realm="analytics"');
    expect((await get('/health/live')).status).toBe(200);
  });

  it('turns a dashboard ?token= into an HttpOnly cookie the page, its files and the stream accept', async () => {
    const token = await sign({ sub: 'ann', roles: ['ops'] });
    expect((await get(`/analytics/dashboard?token=${await sign({ sub: 'bob' })}`)).status).toBe(403);
    const entry = await get(`/analytics/dashboard?token=${token}`);
    expect(entry.status).toBe(303);
    expect(entry.headers.get('location')).toBe('/analytics/dashboard');
    const cookie = entry.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^${OPS_COOKIE}=[^;]+; Path=/analytics; HttpOnly; SameSite=Strict; Max-Age=(59\\d|600); Secure$`));
    const sent = { cookie: cookie.split(';')[0] };
    expect((await get('/analytics/dashboard', sent)).status).toBe(200);
    expect((await get('/analytics/dashboard/uPlot.min.css', sent)).status).toBe(200);
    const stream = await get('/analytics/stream', sent);
    expect((await events(stream, 1))[0].event).toBe('summary');
  });
});
