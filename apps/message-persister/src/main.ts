import { runService } from '@chat/health';
import { SERVICE_NAME } from './app.module';
import { createPersisterApp } from './bootstrap';
import { loadPersisterConfig } from './config/persister.config';

// On SIGTERM: ingest and receipts stop after their in-flight batches and commit them, then the
// history server, HTTP, pg and Redis close.
runService({
  name: SERVICE_NAME,
  loadConfig: loadPersisterConfig,
  logLevel: (config) => config.LOG_LEVEL,
  port: (config) => config.PERSISTER_PORT,
  host: (config) => config.LISTEN_HOST,
  create: createPersisterApp,
});
