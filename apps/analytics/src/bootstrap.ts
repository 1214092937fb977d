import { createServiceApp, ServiceApp } from '@chat/bootstrap';
import type { Logger } from '@chat/logging';
import { AppModule } from './app.module';
import type { AnalyticsConfig } from './config/analytics.config';
import { setupApiDocs } from './docs/api-docs';
import { Lifecycle } from './lifecycle/lifecycle';

/** The app (HTTP for health and metrics + the consumers of the aggregated topics, the read API), wired as main.ts runs it. */
export async function createAnalyticsApp(config: AnalyticsConfig, logger: Logger): Promise<ServiceApp> {
  const app = await createServiceApp(AppModule.forRoot(config, logger), logger);
  setupApiDocs(app);
  return { app, startDependents: () => app.get(Lifecycle).start() };
}
