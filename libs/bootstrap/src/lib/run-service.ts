import type { INestApplication } from '@nestjs/common';
import { ConfigError } from '@chat/config';
import { createLogger, Logger } from '@chat/logging';

export interface ServiceApp {
  app: INestApplication;
  /** Connects to Kafka, databases…; retries until done or shutdown. Not awaited before listening. */
  startDependents(): Promise<void>;
}

export interface ServiceDefinition<C> {
  /** Names the process in logs: `message-persister`, `presence`. */
  name: string;
  /** Throws ConfigError naming every bad variable. */
  loadConfig: () => C;
  logLevel: (config: C) => string;
  port: (config: C) => number;
  /** Interface to listen on (LISTEN_HOST): loopback locally, 0.0.0.0 in a container. */
  host: (config: C) => string;
  create: (config: C, logger: Logger) => Promise<ServiceApp>;
}

/**
 * main.ts of a backend service: config (a bad variable ends the process with its message, no
 * stack trace), JSON logs, HTTP for health and metrics first, then the dependencies in the
 * background so /health answers while Kafka or a database is down; SIGTERM/SIGINT run every
 * shutdown hook and exit 0.
 */
export function runService<C>(definition: ServiceDefinition<C>): void {
  let config: C;
  try {
    config = definition.loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // An operator fixes an env var from this message; a stack trace would only bury it.
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const logger = createLogger(definition.name, definition.logLevel(config));
  process.once('exit', (code) => logger.info({ code }, 'process exiting'));
  start(definition, config, logger).catch((error: unknown) => {
    logger.fatal({ err: error }, `${definition.name} could not start`);
    process.exit(1);
  });
}

async function start<C>(definition: ServiceDefinition<C>, config: C, logger: Logger): Promise<void> {
  const { app, startDependents } = await definition.create(config, logger);
  // useProcessExit: exit 0 once every hook has run, instead of re-raising the signal.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const port = definition.port(config);
  const host = definition.host(config);
  await app.listen(port, host);
  logger.info({ port, host }, 'HTTP (health, metrics) listening');
  startDependents().catch((error: unknown) => {
    logger.fatal({ err: error }, 'start-up failed');
    process.exit(1);
  });
}
