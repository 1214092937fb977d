export * from './lib/redis.module';
export type { Redis } from 'ioredis';
export * from './lib/pipeline-batcher';
export * from './lib/command-metrics';
