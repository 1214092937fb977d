export * from './lib/kafka.module';
