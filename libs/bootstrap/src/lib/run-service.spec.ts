import type { INestApplication } from '@nestjs/common';
import { flushOpsLogs } from '@chat/logging';
import { runService } from './run-service';

describe('runService', () => {
  it('listens on the configured host, not on every interface', async () => {
    const listen = jest.fn(async () => undefined);
    const app = { listen, enableShutdownHooks: jest.fn() } as unknown as INestApplication;
    const started = new Promise<void>((resolve) => {
      runService({
        name: 'svc',
        loadConfig: () => ({ PORT: 3999, LISTEN_HOST: '127.0.0.1' }),
        logLevel: () => 'silent',
        port: (config) => config.PORT,
        host: (config) => config.LISTEN_HOST,
        create: async () => ({ app, startDependents: async () => resolve() }),
      });
    });
    await started;
    expect(listen).toHaveBeenCalledWith(3999, '127.0.0.1');
  });

  it('ships the warn-or-worse logs of the service through its opsLogSink, built from its config', async () => {
    const app = { listen: jest.fn(async () => undefined), enableShutdownHooks: jest.fn() } as unknown as INestApplication;
    const send = jest.fn(async () => undefined);
    const sinkFor = jest.fn(() => ({ send }));
    await new Promise<void>((resolve) => {
      runService({
        name: 'svc',
        loadConfig: () => ({ PORT: 3998, LISTEN_HOST: '127.0.0.1' }),
        logLevel: () => 'error',
        port: (config) => config.PORT,
        host: (config) => config.LISTEN_HOST,
        opsLogSink: sinkFor,
        create: async (_config, logger) => {
          logger.error({ requestId: 'r-1' }, 'dependency down');
          return { app, startDependents: async () => resolve() };
        },
      });
    });
    await flushOpsLogs();
    expect(sinkFor).toHaveBeenCalledWith({ PORT: 3998, LISTEN_HOST: '127.0.0.1' }, expect.anything());
    expect(send).toHaveBeenCalledWith([expect.objectContaining({ service: 'svc', level: 'error', message: 'dependency down', correlationId: 'r-1' })]);
  });
});
