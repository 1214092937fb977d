import perfHooks from 'node:perf_hooks';
import { Registry } from 'prom-client';
import { collectRuntimeMetrics } from './runtime-metrics';

describe('collectRuntimeMetrics', () => {
  afterEach(() => jest.restoreAllMocks());

  it('samples the event loop every 100 ms, not every 10 ms (an idle process stays asleep)', () => {
    const monitor = jest.spyOn(perfHooks, 'monitorEventLoopDelay');
    collectRuntimeMetrics(new Registry());
    expect(monitor).toHaveBeenCalledTimes(1);
    expect(monitor).toHaveBeenCalledWith({ resolution: 100 });
  });

  it('serves the process and Node.js series', async () => {
    const registry = new Registry();
    collectRuntimeMetrics(registry);
    const text = await registry.metrics();
    for (const name of ['process_cpu_user_seconds_total', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_p99_seconds']) {
      expect(text).toContain(name);
    }
  });
});
