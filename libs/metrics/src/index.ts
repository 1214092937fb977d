export * from './lib/metrics.module';
export * from './lib/process-metrics';
export * from './lib/runtime-metrics';
export { Counter, Histogram, Gauge, Registry } from 'prom-client';
export { bearerTokenMatches } from './lib/bearer-token';
