import { runService } from '@chat/health';
import { kafkaOpsLogSink } from '@chat/kafka';
import { SERVICE_NAME } from './app.module';
import { createAnalyticsApp } from './bootstrap';
import { loadAnalyticsConfig } from './config/analytics.config';

// On SIGTERM: consuming stops after the in-flight batches and commits them, then HTTP and Redis close.
runService({
  name: SERVICE_NAME,
  loadConfig: loadAnalyticsConfig,
  logLevel: (config) => config.LOG_LEVEL,
  port: (config) => config.ANALYTICS_PORT,
  host: (config) => config.LISTEN_HOST,
  opsLogSink: kafkaOpsLogSink(SERVICE_NAME),
  create: createAnalyticsApp,
});
