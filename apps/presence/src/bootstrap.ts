import type { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@chat/bootstrap';
import type { Logger } from '@chat/logging';
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
  const app = await createServiceApp(AppModule.forRoot(config, logger), logger);
  return { app, startDependents: () => app.get(StartupSequence).run() };
}
