import { createServiceApp, ServiceApp } from '@chat/bootstrap';
import type { Logger } from '@chat/logging';
import { AppModule } from './app.module';
import { ConsumerGroups, DEFAULT_CONSUMER_GROUPS } from './consuming/consumer-groups';
import type { PersisterConfig } from './config/persister.config';
import { Lifecycle } from './lifecycle/lifecycle';

export interface PersisterAppOptions {
  /** Tests run their own groups, so a dev instance sharing the cluster cannot take their partitions. */
  consumerGroups?: Partial<ConsumerGroups>;
}

/** The app (HTTP for health and metrics; Kafka consumers for ingest, receipts and history), wired as main.ts runs it. */
export async function createPersisterApp(config: PersisterConfig, logger: Logger, options: PersisterAppOptions = {}): Promise<ServiceApp> {
  const groups = { ...DEFAULT_CONSUMER_GROUPS, ...options.consumerGroups };
  const app = await createServiceApp(AppModule.forRoot(config, logger, groups), logger);
  return { app, startDependents: () => app.get(Lifecycle).start() };
}
