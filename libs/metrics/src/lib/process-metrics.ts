import type { Metric } from 'prom-client';

const processMetrics = new Set<Metric>();

/**
 * A series a library keeps for the whole process (the logger's, a Kafka consumer's, a Redis
 * client's): it exists before any Nest app and its registry, so every MetricsModule registry
 * serves it. Create the metric with `registers: []` so prom-client's global registry stays
 * out of it (several apps in one test process would collide there).
 */
export function processMetric<T extends Metric>(metric: T): T {
  processMetrics.add(metric);
  return metric;
}

export function registeredProcessMetrics(): readonly Metric[] {
  return [...processMetrics];
}
