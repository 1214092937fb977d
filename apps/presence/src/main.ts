import { runService } from '@chat/bootstrap';
import { SERVICE_NAME } from './app.module';
import { createPresenceApp } from './bootstrap';
import { loadPresenceConfig } from './config/presence.config';

// On SIGTERM (in the order lifecycle/lifecycle.ts owns): consuming stops after the in-flight
// batches and commits them, the outbox is published, then HTTP, the producer and Redis close.
runService({
  name: SERVICE_NAME,
  loadConfig: loadPresenceConfig,
  logLevel: (config) => config.LOG_LEVEL,
  port: (config) => config.PRESENCE_PORT,
  host: (config) => config.LISTEN_HOST,
  create: createPresenceApp,
});
