import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Counter, Registry } from 'prom-client';
import { METRICS_REGISTRY, MetricsModule } from './metrics.module';

describe('MetricsModule', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const module = await Test.createTestingModule({ imports: [MetricsModule] }).compile();
    app = module.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
  });
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
});
