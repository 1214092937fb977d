import { ConfigError } from '@chat/config';
import { runService } from '@chat/bootstrap';
import { createLogger } from '@chat/logging';
import { SERVICE_NAME } from './app.module';
import { createPersisterApp } from './bootstrap';
import { loadMigrateConfig, loadPersisterConfig, MigrateConfig } from './config/persister.config';
import { migrateCommand } from './storage/migrate-command';
import { MIGRATIONS } from './storage/migrations';
import { createPool } from './storage/pg-pool';

function migrate(): void {
  let config: MigrateConfig;
  try {
    config = loadMigrateConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // As runService does: the message names the variable; a stack trace would only bury it.
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const logger = createLogger(`${SERVICE_NAME}-migrate`, config.LOG_LEVEL);
  void migrateCommand(createPool(config.DATABASE_URL, logger), MIGRATIONS, logger).then((code) => {
    process.exitCode = code;
  });
}

// `node main.js migrate`: the Kubernetes migrate Job (the Deployment runs with MIGRATE_ON_START=false).
if (process.argv[2] === 'migrate') {
  migrate();
} else {
  // On SIGTERM (in the order lifecycle/lifecycle.ts owns): ingest and receipts stop after their
  // in-flight batches and commit them, then the history server, then the DLQ producer is flushed;
  // then HTTP, PostgreSQL and Redis close.
  runService({
    name: SERVICE_NAME,
    loadConfig: loadPersisterConfig,
    logLevel: (config) => config.LOG_LEVEL,
    port: (config) => config.PERSISTER_PORT,
    host: (config) => config.LISTEN_HOST,
    create: createPersisterApp,
  });
}
