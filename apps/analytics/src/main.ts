import { runService } from '@chat/bootstrap';
import { SERVICE_NAME } from './app.module';
import { createAnalyticsApp } from './bootstrap';
import { loadAnalyticsConfig } from './config/analytics.config';
import { rebuildCommand } from './rebuild/rebuild-command';

// `node main.js rebuild --since 2h` (npm run analytics -- rebuild --since 2h): recount the
// retained log into fresh windows (ADR 0022); the live service may keep running.
if (process.argv[2] === 'rebuild') {
  void rebuildCommand(process.argv.slice(3)).then((code) => {
    process.exitCode = code;
  });
} else {
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
}
