export * from './lib/kafka.module';
export * from './lib/topics-admin';
export * from './lib/kafka-logger';
export * from './lib/source-record';
export * from './lib/dead-letter';
export * from './lib/batch-consumer';
export * from './lib/topic-reader';
export * from './lib/restart-on-fatal-crash';
