import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger, PinoNestLogger } from '@chat/logging';
import { AppModule } from './app.module';
import type { AnalyticsConfig } from './config/analytics.config';
import { StartupSequence } from './lifecycle/startup';

export interface AnalyticsApp {
  app: INestApplication;
  /** Topics and consumers; retries until done or shutdown. */
  startDependents(): Promise<void>;
}

/** The app (HTTP for health and metrics + the consumers of the aggregated topics, the read API), wired as main.ts runs it. */
export async function createAnalyticsApp(config: AnalyticsConfig, logger: Logger): Promise<AnalyticsApp> {
  const nestLogger = new PinoNestLogger(logger);
  const app = await NestFactory.create(AppModule.forRoot(config, logger), {
    bufferLogs: true,
    // Also given here so logs buffered before a failed start-up are flushed as JSON.
    logger: nestLogger,
    // Otherwise Nest aborts the process on a start-up error instead of letting us log it.
    abortOnError: false,
    // Keep-alive scrapes of /metrics must not hold shutdown open.
    forceCloseConnections: true,
  });
  app.useLogger(nestLogger);
  return { app, startDependents: () => app.get(StartupSequence).run() };
}
