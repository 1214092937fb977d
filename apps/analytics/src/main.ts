import { runService } from '@chat/bootstrap';
import { SERVICE_NAME } from './app.module';
import { createAnalyticsApp } from './bootstrap';
import { loadAnalyticsConfig } from './config/analytics.config';

// On SIGTERM (in the order lifecycle/lifecycle.ts owns): consuming stops after the in-flight
// batches and commits them, then HTTP and Redis close.
runService({
  name: SERVICE_NAME,
  loadConfig: loadAnalyticsConfig,
  logLevel: (config) => config.LOG_LEVEL,
  port: (config) => config.ANALYTICS_PORT,
  host: (config) => config.LISTEN_HOST,
  create: createAnalyticsApp,
});
