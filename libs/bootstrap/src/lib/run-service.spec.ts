import type { INestApplication } from '@nestjs/common';
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
});
