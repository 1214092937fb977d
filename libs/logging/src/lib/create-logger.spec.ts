import type { OpsLogRecord } from '@chat/contracts';
import { closeOpsLogs, createLogger, Logger } from './logger';

describe('createLogger with opsLogs', () => {
  afterEach(() => closeOpsLogs());

  it('ships the service logs but never what the sink itself logs (no loop when shipping fails)', async () => {
    const shipped: OpsLogRecord[] = [];
    let sinkLogger: Logger | undefined;
    const logger = createLogger('presence', 'info', {
      instance: 'test-1',
      batchSize: 1,
      sink: (local) => {
        sinkLogger = local;
        return {
          send: async (records) => {
            shipped.push(...records);
            // What kafkajs would do when the broker is away: log an error through its logger.
            local.error({ err: new Error('ECONNREFUSED') }, 'Connection error');
            throw new Error('ECONNREFUSED');
          },
        };
      },
    });
    logger.error({ messageId: 'm-1' }, 'store failed');
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(sinkLogger).toBeDefined();
    expect(shipped).toEqual([expect.objectContaining({ service: 'presence', instance: 'test-1', message: 'store failed', correlationId: 'm-1' })]);
  });
});
