import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Counter, Registry } from 'prom-client';
import { METRICS_REGISTRY, MetricsModule, MetricsOptions } from './metrics.module';
import { processMetric } from './process-metrics';

// Created at import time, before any app, as a library's process-wide series is.
const libraryCounter = processMetric(new Counter({ name: 'chat_library_test_total', help: 'a library series', registers: [] }));

async function start(options?: MetricsOptions): Promise<INestApplication> {
  const module = await Test.createTestingModule({ imports: [MetricsModule.forRoot(options)] }).compile();
  const app = module.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  return app;
}

describe('MetricsModule', () => {
  describe('without a token (local use)', () => {
    let app: INestApplication;
    beforeAll(async () => (app = await start()));
    afterAll(() => app.close());

    it('serves process metrics and the app’s own in the Prometheus text format', async () => {
      const registry = app.get<Registry>(METRICS_REGISTRY);
      new Counter({ name: 'chat_test_total', help: 'test counter', registers: [registry] }).inc(3);

      const res = await fetch(`${await app.getUrl()}/metrics`);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      expect(text).toContain('chat_test_total 3');
      expect(text).toContain('process_cpu_user_seconds_total');
    });

    it('serves the process-wide series of the libraries too', async () => {
      libraryCounter.inc(2);
      const text = await (await fetch(`${await app.getUrl()}/metrics`)).text();
      expect(text).toContain('chat_library_test_total 2');
    });
  });

  describe('with METRICS_TOKEN', () => {
    const token = 'scrape-token-0123456789';
    let app: INestApplication;
    beforeAll(async () => (app = await start({ token })));
    afterAll(() => app.close());

    const scrape = async (authorization?: string) =>
      fetch(`${await app.getUrl()}/metrics`, { headers: authorization ? { authorization } : {} });

    it('refuses a scrape without the bearer token, or with another one, and leaks no metric', async () => {
      for (const header of [undefined, `Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, token, `Basic ${token}`, 'Bearer ']) {
        const res = await scrape(header);
        expect([header, res.status]).toEqual([header, 401]);
        expect(await res.text()).not.toContain('process_cpu_user_seconds_total');
      }
    });

    it('serves the metrics to a scrape with the bearer token', async () => {
      const res = await scrape(`Bearer ${token}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('process_cpu_user_seconds_total');
    });
  });
});
