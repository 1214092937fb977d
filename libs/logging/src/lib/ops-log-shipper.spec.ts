import pino from 'pino';
import { OpsLogRecordSchema, OpsLogRecord } from '@chat/contracts';
import { opsLogRecordsDropped } from './ops-log-metrics';
import { OpsLogShipper, OpsLogSink } from './ops-log-shipper';

/** A sink that answers when told to: batches stay in flight until release() (or fail()). */
class FakeSink implements OpsLogSink {
  readonly batches: OpsLogRecord[][] = [];
  private pending: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  constructor(private readonly mode: 'instant' | 'held' = 'instant') {}
  send(records: readonly OpsLogRecord[]): Promise<void> {
    this.batches.push([...records]);
    if (this.mode === 'instant') return Promise.resolve();
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }
  release(): void {
    this.pending.splice(0).forEach((p) => p.resolve());
  }
  fail(): void {
    this.pending.splice(0).forEach((p) => p.reject(new Error('broker unreachable')));
  }
}

const origin = { service: 'gateway', instance: 'host-1' };
const dropped = async (reason: string) => (await opsLogRecordsDropped.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
const settle = () => new Promise((resolve) => setImmediate(resolve));

function serviceLogger(shipper: OpsLogShipper) {
  return pino({ level: 'info' }, pino.multistream([{ level: 'warn', stream: shipper }]));
}

describe('OpsLogShipper', () => {
  beforeEach(() => opsLogRecordsDropped.reset());

  it('ships warn and worse as ops.logs.v1 records with their error type and correlation id', async () => {
    const sink = new FakeSink();
    const shipper = new OpsLogShipper({ origin, sink, notice: jest.fn(), flushIntervalMs: 10 });
    const logger = serviceLogger(shipper);
    logger.info('not shipped');
    logger.warn({ clientMsgId: 'c-1' }, 'slow ack');
    logger.error({ err: new TypeError('bad'), requestId: 'r-9' }, 'history failed');
    await shipper.flush();

    const records = sink.batches.flat();
    expect(records).toEqual([
      expect.objectContaining({ service: 'gateway', instance: 'host-1', level: 'warn', message: 'slow ack', correlationId: 'c-1' }),
      expect.objectContaining({ level: 'error', message: 'history failed', errorType: 'TypeError', correlationId: 'r-9' }),
    ]);
    for (const record of records) expect(OpsLogRecordSchema.safeParse(record).success).toBe(true);
  });

  it('batches: a full batch goes at once, the rest after the flush interval, one send at a time', async () => {
    jest.useFakeTimers();
    try {
      const sink = new FakeSink('held');
      const shipper = new OpsLogShipper({ origin, sink, notice: jest.fn(), batchSize: 3, flushIntervalMs: 500 });
      const logger = serviceLogger(shipper);
      for (let i = 0; i < 5; i++) logger.error(`e${i}`);
      expect(sink.batches.map((b) => b.length)).toEqual([3]);
      sink.release();
      await jest.advanceTimersByTimeAsync(0);
      // The two left over went as the next batch once the first was answered.
      expect(sink.batches.map((b) => b.length)).toEqual([3, 2]);
      sink.release();
      await jest.advanceTimersByTimeAsync(0);

      logger.warn('alone');
      await jest.advanceTimersByTimeAsync(499);
      expect(sink.batches).toHaveLength(2);
      await jest.advanceTimersByTimeAsync(1);
      expect(sink.batches.map((b) => b.length)).toEqual([3, 2, 1]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('holds at most maxBuffered while the sink hangs, counts the drops and says so once per interval', async () => {
    jest.useFakeTimers();
    try {
      const sink = new FakeSink('held');
      const notice = jest.fn();
      const shipper = new OpsLogShipper({ origin, sink, notice, batchSize: 10, maxBuffered: 50, noticeIntervalMs: 10_000 });
      const logger = serviceLogger(shipper);
      for (let i = 0; i < 1000; i++) logger.error({ i }, 'kafka down');

      // One batch in flight, the buffer full, everything else dropped.
      expect(sink.batches).toHaveLength(1);
      expect(shipper.buffered).toBe(50);
      expect(await dropped('buffer_full')).toBe(1000 - 10 - 50);
      expect(notice).toHaveBeenCalledTimes(1);

      for (let i = 0; i < 100; i++) logger.error('still down');
      expect(notice).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(10_000);
      expect(notice).toHaveBeenCalledTimes(2);
      // The first notice came with the first drop; the second one accounts for all the others.
      expect(notice.mock.calls[0][0]).toMatchObject({ dropped: { bufferFull: 1 } });
      expect(notice.mock.calls[1][0]).toMatchObject({ dropped: { bufferFull: 1000 - 10 - 50 - 1 + 100, sendFailed: 0 } });
    } finally {
      jest.useRealTimers();
    }
  });

  it('a failing sink drops its batch (counted), never throws into the logger, and ships again once it recovers', async () => {
    const sink = new FakeSink('held');
    const notice = jest.fn();
    const shipper = new OpsLogShipper({ origin, sink, notice, batchSize: 2, flushIntervalMs: 5 });
    const logger = serviceLogger(shipper);
    logger.error('a');
    logger.error('b');
    sink.fail();
    await settle();
    expect(await dropped('send_failed')).toBe(2);
    expect(notice).toHaveBeenCalledWith(expect.objectContaining({ lastSendError: 'broker unreachable' }), expect.stringContaining('dropped 2'));

    logger.error('c');
    logger.error('d');
    sink.release();
    await shipper.flush();
    expect(sink.batches.map((b) => b.map((r) => r.message))).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('a sink that throws synchronously is a failed send, not an exception in the caller', async () => {
    const sink: OpsLogSink = {
      send: () => {
        throw new Error('not connected');
      },
    };
    const shipper = new OpsLogShipper({ origin, sink, notice: jest.fn(), batchSize: 1 });
    expect(() => serviceLogger(shipper).error('x')).not.toThrow();
    await shipper.flush();
    expect(await dropped('send_failed')).toBe(1);
  });

  it('close() flushes what is buffered and closes the sink; later lines are ignored', async () => {
    const sink = { ...new FakeSink(), batches: [] as OpsLogRecord[][], send: jest.fn(async () => undefined), close: jest.fn(async () => undefined) };
    const shipper = new OpsLogShipper({ origin, sink, notice: jest.fn(), flushIntervalMs: 60_000 });
    const logger = serviceLogger(shipper);
    logger.warn('last words');
    await shipper.close();
    logger.warn('after close');
    await shipper.flush();
    expect(sink.send).toHaveBeenCalledTimes(1);
    expect(sink.close).toHaveBeenCalled();
  });
});
