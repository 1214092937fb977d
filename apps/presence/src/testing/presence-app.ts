import { RunningService, startForTest } from '@chat/bootstrap/testing';
import { PresenceEventsTopic } from '@chat/contracts';
import { partitionCount } from '@chat/kafka';
import { createPresenceApp } from '../bootstrap';
import type { PresenceConfig } from '../config/presence.config';
import type { PresenceStore } from '../state/presence-store';
import { PRESENCE_STORE } from '../state/tokens';
import { eventually, silentLogger, testKafka } from './infra';

export type RunningPresence = RunningService;

/**
 * The real app on an ephemeral port, consuming. Resolves once every partition has reported a
 * completed fetch after start: the consumer's start offsets are resolved, so whatever a test
 * produces from now on is seen.
 */
export async function startPresence(config: PresenceConfig): Promise<RunningPresence> {
  const startedAt = Date.now();
  const running = await startForTest(await createPresenceApp(config, silentLogger));
  const partitions = await partitionCount(testKafka(config), PresenceEventsTopic.name);
  const store = running.app.get<PresenceStore>(PRESENCE_STORE);
  await eventually(() => store.watermark(partitions), (w) => w !== null && w >= startedAt, 30_000);
  return running;
}
