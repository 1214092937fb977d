import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { PresenceEventsTopic } from '@chat/contracts';
import { partitionCount } from '@chat/kafka';
import { createPresenceApp } from '../bootstrap';
import type { PresenceConfig } from '../config/presence.config';
import type { PresenceStore } from '../state/presence-store';
import { PRESENCE_STORE } from '../state/tokens';
import { eventually, silentLogger, testKafka } from './infra';

export interface RunningPresence {
  app: INestApplication;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real app on an ephemeral port, consuming. Resolves once every partition has reported a
 * completed fetch after start: the consumer's start offsets are resolved, so whatever a test
 * produces from now on is seen.
 */
export async function startPresence(config: PresenceConfig): Promise<RunningPresence> {
  const startedAt = Date.now();
  const { app, startDependents } = await createPresenceApp(config, silentLogger);
  await app.listen(0, '127.0.0.1');
  await startDependents();
  const partitions = await partitionCount(testKafka(config), PresenceEventsTopic.name);
  const store = app.get<PresenceStore>(PRESENCE_STORE);
  await eventually(() => store.watermark(partitions), (w) => w !== null && w >= startedAt, 30_000);
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}
