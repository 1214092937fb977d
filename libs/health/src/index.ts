export * from './lib/readiness-check';
export * from './lib/health.module';
