import { createServiceApp, ServiceApp } from '@chat/bootstrap';
import type { Logger } from '@chat/logging';
import { AppModule } from './app.module';
import type { PresenceConfig } from './config/presence.config';
import { Lifecycle } from './lifecycle/lifecycle';

/** The app (HTTP for health and metrics + the presence.events consumer), wired as main.ts runs it. */
export async function createPresenceApp(config: PresenceConfig, logger: Logger): Promise<ServiceApp> {
  const app = await createServiceApp(AppModule.forRoot(config, logger), logger);
  return { app, startDependents: () => app.get(Lifecycle).start() };
}
