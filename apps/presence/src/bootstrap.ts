import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger, PinoNestLogger } from '@chat/logging';
import { AppModule } from './app.module';
import type { PresenceConfig } from './config/presence.config';
import { StartupSequence } from './lifecycle/startup';

export interface PresenceApp {
  app: INestApplication;
  /** Topics, producer, leader and consumer; retries until done or shutdown. */
  startDependents(): Promise<void>;
}

/** The app (HTTP for health and metrics + the presence.events consumer), wired as main.ts runs it. */
export async function createPresenceApp(config: PresenceConfig, logger: Logger): Promise<PresenceApp> {
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
