import { randomUUID } from 'node:crypto';
import { AppProcess } from './support/app-process';
import { expectEventually, TestClient } from './support/client';
import { has, Sample, scrape, total } from './support/scrape';
import { E2E } from './support/stack';

// Ports of their own: this suite runs its services with METRICS_TOKEN set, beside the other suites' stack.
const PORT = { gateway: 3171, persister: 3172, presence: 3173, analytics: 3174, web: 3175 };
const token = `e2e-metrics-${randomUUID()}`;
const gatewayId = `e2e-metrics-${process.pid}`;

const gateway = new AppProcess('metrics-gateway', 'gateway', PORT.gateway, {
  GATEWAY_PORT: String(PORT.gateway),
  GATEWAY_ID: gatewayId,
  AUTH_JWT_SECRET: E2E.jwtSecret,
  GATEWAY_ALLOWED_ORIGINS: E2E.webOrigin,
  METRICS_TOKEN: token,
});
const persister = new AppProcess('metrics-persister', 'message-persister', PORT.persister, { PERSISTER_PORT: String(PORT.persister), METRICS_TOKEN: token });
const presence = new AppProcess('metrics-presence', 'presence', PORT.presence, { PRESENCE_PORT: String(PORT.presence), METRICS_TOKEN: token });
const analytics = new AppProcess('metrics-analytics', 'analytics', PORT.analytics, { ANALYTICS_PORT: String(PORT.analytics), METRICS_TOKEN: token });
const web = new AppProcess('metrics-web', 'web', PORT.web, {
  WEB_PORT: String(PORT.web),
  WEB_GATEWAY_URLS: gateway.url,
  AUTH_JWT_SECRET: E2E.jwtSecret,
  METRICS_TOKEN: token,
});
const services = [persister, presence, analytics, gateway, web];

describe('every service exports its metrics under traffic', () => {
  const clients: TestClient[] = [];
  const before = new Map<AppProcess, Sample[]>();

  beforeAll(async () => {
    await Promise.all([persister.start(), presence.start(), analytics.start()]);
    await gateway.start();
    await web.start();
    for (const service of services) before.set(service, await scrape(service.url, token));
  }, 180_000);

  afterAll(async () => {
    clients.forEach((c) => c.close());
    await Promise.all([gateway.stop(), web.stop()]);
    await Promise.all([persister.stop(), presence.stop(), analytics.stop()]);
  });

  it('refuses a scrape without the bearer token on every service', async () => {
    for (const service of services) expect([service.name, await service.status('/metrics')]).toEqual([service.name, 401]);
  });

  it('the series move: events in and out, consumer lag, Redis and PostgreSQL latency, web requests', async () => {
    const alice = await TestClient.connect(PORT.gateway, `alice-${gatewayId}`);
    const bob = await TestClient.connect(PORT.gateway, `bob-${gatewayId}`);
    clients.push(alice, bob);
    // Several rooms: they spread over the partitions, whichever of them this persister is assigned.
    const [firstRoom, ...otherRooms] = Array.from({ length: 8 }, (_, i) => `metrics-${randomUUID().slice(0, 8)}-${i}`);
    if (firstRoom === undefined) throw new Error('no rooms');
    const rooms = [firstRoom, ...otherRooms];
    for (const roomId of rooms) {
      await alice.ok('room:join', { roomId });
      await bob.ok('room:join', { roomId });
    }
    for (const roomId of rooms) {
      for (let i = 0; i < 3; i++) await alice.ok('message:send', { roomId, clientMsgId: randomUUID(), body: `m${i}` });
    }
    await alice.ok('typing', { roomId: firstRoom, typing: true });
    await bob.waitForMessages(rooms.length * 3);
    expect(await web.status('/health/ready')).toBe(200);
    expect(await web.status('/config.json')).toBe(200);

    const delta = async (service: AppProcess, name: string, where: Record<string, string | RegExp> = {}) => {
      const now = await scrape(service.url, token);
      return total(now, name, where) - total(before.get(service) ?? [], name, where);
    };

    await expectEventually(async () => {
      expect(await delta(gateway, 'gateway_events_received_total', { event: 'message:send' })).toBe(rooms.length * 3);
      expect(await delta(gateway, 'gateway_events_received_total', { event: 'room:join' })).toBe(rooms.length * 2);
      expect(await delta(gateway, 'gateway_events_emitted_total', { event: 'message:new' })).toBeGreaterThanOrEqual(rooms.length * 3);
      expect(await delta(gateway, 'gateway_events_emitted_total', { event: 'typing' })).toBeGreaterThanOrEqual(1);
      expect(await delta(gateway, 'redis_command_duration_seconds_count')).toBeGreaterThan(0);
      expect(await delta(persister, 'pg_query_duration_seconds_count')).toBeGreaterThan(0);
      expect(await delta(persister, 'redis_command_duration_seconds_count')).toBeGreaterThan(0);
      expect(await delta(presence, 'redis_command_duration_seconds_count')).toBeGreaterThan(0);
      expect(await delta(analytics, 'redis_command_duration_seconds_count')).toBeGreaterThan(0);
      expect(await delta(web, 'web_http_requests_total', { route: '/config.json' })).toBeGreaterThanOrEqual(1);
    }, 30_000);

    const gatewayNow = await scrape(gateway.url, token);
    expect(has(gatewayNow, 'kafka_consumer_lag', { group: new RegExp(`^gateway-fanout\\.${gatewayId}-`), topic: 'chat.messages.v1' })).toBe(true);
    expect(has(gatewayNow, 'gateway_delivery_delay_seconds_count')).toBe(true);
    expect(has(await scrape(persister.url, token), 'kafka_consumer_lag', { topic: 'chat.messages.v1' })).toBe(true);
    expect(has(await scrape(presence.url, token), 'kafka_consumer_lag', { topic: 'presence.events.v1' })).toBe(true);
    expect(has(await scrape(analytics.url, token), 'kafka_consumer_lag')).toBe(true);
    expect(has(await scrape(web.url, token), 'web_gateway_up', { gateway: gateway.url })).toBe(true);
  });

  it('every backend service serves the ops log counters', async () => {
    for (const service of [gateway, persister, presence, analytics]) {
      const res = await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      const text = await res.text();
      expect([service.name, text.includes('# TYPE ops_log_records_dropped_total counter')]).toEqual([service.name, true]);
      expect([service.name, text.includes('# TYPE ops_log_records_shipped_total counter')]).toEqual([service.name, true]);
    }
  });
});
