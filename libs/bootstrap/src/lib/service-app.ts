import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger, PinoNestLogger } from '@chat/logging';

/** The Nest application of a service, created the same way in every one (runService listens on it). */
export async function createServiceApp(module: DynamicModule, logger: Logger): Promise<INestApplication> {
  const nestLogger = new PinoNestLogger(logger);
  const app = await NestFactory.create(module, {
    bufferLogs: true,
    // Also given here so logs buffered before a failed start-up are flushed as JSON, not Nest's console format.
    logger: nestLogger,
    // Otherwise Nest aborts the process on a start-up error instead of letting runService report it.
    abortOnError: false,
    // Keep-alive scrapes of /metrics must not hold shutdown open.
    forceCloseConnections: true,
  });
  app.useLogger(nestLogger);
  return app;
}
