export * from './lib/readiness-check';
export * from './lib/health.module';
export * from './lib/startup-progress';
export * from './lib/retry-until-done';
export * from './lib/run-service';
export * from './lib/service-app';
