import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * How often the event-loop delay histogram samples; prom-client's default is 10 ms. Each sample
 * is a timer that wakes the process: at 10 ms an idle service woke 100 times a second for it
 * alone, ~0.4 % of a core per process on the development machine (ADR 0030). At 100 ms a stall
 * of 100 ms or more is always seen, a shorter one with a probability of its length over 100 ms.
 * Every value includes the interval: a loop that never stalls reads ~0.1 s.
 */
export const EVENT_LOOP_SAMPLE_MS = 100;

/** prom-client's process and Node.js series (CPU, memory, GC, handles, event-loop delay) into `registry`. */
export function collectRuntimeMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
}
