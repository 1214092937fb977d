import type { INestApplication } from '@nestjs/common';
import pino from 'pino';
import type { ServiceApp } from '../run-service';

/** Integration tests log nothing unless TEST_LOG_LEVEL says otherwise. */
export const silentLogger = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

export interface RunningService {
  app: INestApplication;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * A service's real app as runService runs it, but on an ephemeral loopback port; resolves once
 * its dependencies have started (consuming, ready).
 */
export async function startForTest({ app, startDependents }: ServiceApp): Promise<RunningService> {
  await app.listen(0, '127.0.0.1');
  await startDependents();
  return { app, baseUrl: await app.getUrl(), close: () => app.close() };
}
