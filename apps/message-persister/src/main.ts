import { ConfigError } from '@chat/config';
import { createLogger, Logger } from '@chat/logging';
import { SERVICE_NAME } from './app.module';
import { createPersisterApp } from './bootstrap';
import { loadPersisterConfig, PersisterConfig } from './config/persister.config';

function loadConfigOrExit(): PersisterConfig {
  try {
    return loadPersisterConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // An operator fixes an env var from this message; a stack trace would only bury it.
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

async function bootstrap(config: PersisterConfig, logger: Logger): Promise<void> {
  const { app, startDependents } = await createPersisterApp(config, logger);
  // SIGTERM: stop ingest and receipts after their in-flight batches, close the history server, HTTP, pg, Redis.
  // useProcessExit: exit 0 once every hook has run, instead of re-raising the signal.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen(config.PERSISTER_PORT);
  logger.info({ port: config.PERSISTER_PORT }, 'HTTP (health, metrics) listening');

  // Not awaited: Kafka or PostgreSQL being down must not keep /health from answering.
  startDependents().catch((error: unknown) => {
    logger.fatal({ err: error }, 'start-up failed');
    process.exit(1);
  });
}

const config = loadConfigOrExit();
const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
process.once('exit', (code) => logger.info({ code }, 'process exiting'));
bootstrap(config, logger).catch((error: unknown) => {
  logger.fatal({ err: error }, 'message-persister could not start');
  process.exit(1);
});
