import { RunningService, startForTest } from '@chat/bootstrap/testing';
import { createPersisterApp, PersisterAppOptions } from '../bootstrap';
import { silentLogger, testConfig } from './infra';

export type RunningPersister = RunningService;

/** The real app on an ephemeral port, with migrations, topics, consumers and history server running. */
export async function startPersister(options: PersisterAppOptions = {}): Promise<RunningPersister> {
  return startForTest(await createPersisterApp(testConfig(), silentLogger, options));
}
