export * from './lib/startup-progress';
export * from './lib/retry-until-done';
export * from './lib/startup-sequence';
export * from './lib/run-service';
export * from './lib/service-app';
