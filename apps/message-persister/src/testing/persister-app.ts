import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createPersisterApp, PersisterAppOptions } from '../bootstrap';
import { silentLogger, testConfig } from './infra';

export interface RunningPersister {
  app: INestApplication;
  baseUrl: string;
  close(): Promise<void>;
}

/** The real app on an ephemeral port, with migrations, topics, consumers and history server running. */
export async function startPersister(options: PersisterAppOptions = {}): Promise<RunningPersister> {
  const { app, startDependents } = await createPersisterApp(testConfig(), silentLogger, options);
  await app.listen(0, '127.0.0.1');
  await startDependents();
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}
