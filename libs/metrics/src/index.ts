export * from './lib/metrics.module';
export { Counter, Histogram, Gauge, Registry } from 'prom-client';
