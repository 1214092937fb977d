import type { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@chat/health';
import type { Logger } from '@chat/logging';
import { AppModule } from './app.module';
import type { AnalyticsConfig } from './config/analytics.config';
import { setupApiDocs } from './docs/api-docs';
import { StartupSequence } from './lifecycle/startup';

export interface AnalyticsApp {
  app: INestApplication;
  /** Topics and consumers; retries until done or shutdown. */
  startDependents(): Promise<void>;
}

/** The app (HTTP for health and metrics + the consumers of the aggregated topics, the read API), wired as main.ts runs it. */
export async function createAnalyticsApp(config: AnalyticsConfig, logger: Logger): Promise<AnalyticsApp> {
  const app = await createServiceApp(AppModule.forRoot(config, logger), logger);
  setupApiDocs(app);
  return { app, startDependents: () => app.get(StartupSequence).run() };
}
