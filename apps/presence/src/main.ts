import { ConfigError } from '@chat/config';
import { createLogger, Logger } from '@chat/logging';
import { SERVICE_NAME } from './app.module';
import { createPresenceApp } from './bootstrap';
import { loadPresenceConfig, PresenceConfig } from './config/presence.config';

function loadConfigOrExit(): PresenceConfig {
  try {
    return loadPresenceConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // An operator fixes an env var from this message; a stack trace would only bury it.
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

async function bootstrap(config: PresenceConfig, logger: Logger): Promise<void> {
  const { app, startDependents } = await createPresenceApp(config, logger);
  // SIGTERM: stop consuming after the in-flight batch, publish the outbox, close HTTP and Redis.
  // useProcessExit: exit 0 once every hook has run, instead of re-raising the signal.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen(config.PRESENCE_PORT);
  logger.info({ port: config.PRESENCE_PORT }, 'HTTP (health, metrics) listening');

  // Not awaited: Kafka or Redis being down must not keep /health from answering.
  startDependents().catch((error: unknown) => {
    logger.fatal({ err: error }, 'start-up failed');
    process.exit(1);
  });
}

const config = loadConfigOrExit();
const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
process.once('exit', (code) => logger.info({ code }, 'process exiting'));
bootstrap(config, logger).catch((error: unknown) => {
  logger.fatal({ err: error }, 'presence could not start');
  process.exit(1);
});
