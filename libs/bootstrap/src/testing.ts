export * from './lib/testing/running-service';
export * from './lib/testing/eventually';
