export * from './lib/logger';
export * from './lib/ops-log-shipper';
export * from './lib/ops-log-record';
export * from './lib/ops-log-metrics';
