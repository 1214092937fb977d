import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger, PinoNestLogger } from '@chat/logging';
import { AppModule } from './app.module';
import type { PersisterConfig } from './config/persister.config';
import { historyServerOptions, startHistoryServer } from './history/history-server';
import { StartupSequence } from './lifecycle/startup';

export interface PersisterApp {
  app: INestApplication;
  /** Migrations, topics, ingest consumer, history server; retries until done or shutdown. */
  startDependents(): Promise<void>;
}

/** The hybrid app (HTTP for health and metrics + the Kafka history server), wired as main.ts runs it. */
export async function createPersisterApp(config: PersisterConfig, logger: Logger): Promise<PersisterApp> {
  const nestLogger = new PinoNestLogger(logger);
  const app = await NestFactory.create(AppModule.forRoot(config, logger), {
    bufferLogs: true,
    // Also given here so logs buffered before a failed start-up are flushed as JSON, not Nest's console format.
    logger: nestLogger,
    // Otherwise Nest aborts the process (core dump) on a start-up error instead of letting us log it.
    abortOnError: false,
    // Keep-alive scrapes of /metrics must not hold shutdown open.
    forceCloseConnections: true,
  });
  app.useLogger(nestLogger);
  const historyServer = app.connectMicroservice(historyServerOptions(config.KAFKA_BROKERS, logger), {
    inheritAppConfig: true,
  });
  return {
    app,
    startDependents: () => app.get(StartupSequence).run(() => startHistoryServer(app, historyServer)),
  };
}
