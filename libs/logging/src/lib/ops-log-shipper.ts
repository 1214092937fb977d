import type { OpsLogRecord } from '@chat/contracts';
import { opsLogRecordsDropped, opsLogRecordsShipped } from './ops-log-metrics';
import { OpsLogOrigin, toOpsLogRecord } from './ops-log-record';

/** Where shipped records go: ops.logs.v1 in production (libs/kafka KafkaOpsLogSink), a fake in tests. */
export interface OpsLogSink {
  /** One batch; rejecting drops it (counted), it is never retried by the shipper. */
  send(records: readonly OpsLogRecord[]): Promise<void>;
  close?(): Promise<void>;
}

export type DropReason = 'buffer_full' | 'send_failed';

export interface OpsLogShipperOptions {
  origin: OpsLogOrigin;
  sink: OpsLogSink;
  /** The shipper's own notices (drops): a logger that writes locally only, so they are never shipped. */
  notice: (fields: Record<string, unknown>, message: string) => void;
  /** Records held while Kafka is slow or down; beyond it new records are dropped. */
  maxBuffered?: number;
  batchSize?: number;
  /** How long a record waits for its batch to fill. */
  flushIntervalMs?: number;
  /** At most one drop notice per interval, however many are dropped. */
  noticeIntervalMs?: number;
}

/**
 * A pino destination (write(line)) for warn-or-worse records: writing only parses the line and
 * buffers it, so logging never waits for Kafka; batches go to the sink one at a time. The buffer
 * is bounded: while the sink is slow or failing, records are dropped, counted
 * (ops_log_records_dropped_total) and reported in a rate-limited local line.
 */
export class OpsLogShipper {
  private readonly buffer: OpsLogRecord[] = [];
  private readonly maxBuffered: number;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly noticeIntervalMs: number;
  private flushTimer?: NodeJS.Timeout;
  private noticeTimer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private closed = false;
  private lastNoticeAt = Number.NEGATIVE_INFINITY;
  private readonly unreported: Record<DropReason, number> = { buffer_full: 0, send_failed: 0 };
  private lastSendError?: string;

  constructor(private readonly options: OpsLogShipperOptions) {
    this.maxBuffered = options.maxBuffered ?? 1000;
    this.batchSize = options.batchSize ?? 100;
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.noticeIntervalMs = options.noticeIntervalMs ?? 30_000;
  }

  /** Records waiting to be sent (the bound is maxBuffered). */
  get buffered(): number {
    return this.buffer.length;
  }

  write(line: string): void {
    if (this.closed) return;
    const record = toOpsLogRecord(line, this.options.origin);
    if (!record) return;
    if (this.buffer.length >= this.maxBuffered) {
      this.drop('buffer_full', 1);
      return;
    }
    this.buffer.push(record);
    if (this.buffer.length >= this.batchSize) void this.pump();
    else this.scheduleFlush();
  }

  /** Sends everything buffered; resolves when the sink has answered for it (never rejects). */
  flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    return this.pump();
  }

  /** Final: flushes for at most timeoutMs, reports unreported drops, closes the sink. */
  async close(timeoutMs = 2000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([this.flush(), timeout]);
    clearTimeout(timer);
    clearTimeout(this.noticeTimer);
    this.reportDrops();
    await this.options.sink.close?.().catch(() => undefined);
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.inFlight) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.pump();
    }, this.flushIntervalMs);
    this.flushTimer.unref();
  }

  /** One send at a time; what arrives meanwhile forms the next batch. */
  private pump(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.buffer.length === 0) return Promise.resolve();
    this.inFlight = this.sendAll().finally(() => {
      this.inFlight = undefined;
      if (this.buffer.length > 0 && !this.closed) this.scheduleFlush();
    });
    return this.inFlight;
  }

  private async sendAll(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.batchSize);
      try {
        // Inside try: a sink that throws synchronously is a failed send too.
        await this.options.sink.send(batch);
        opsLogRecordsShipped.inc(batch.length);
      } catch (error) {
        this.lastSendError = error instanceof Error ? error.message : String(error);
        this.drop('send_failed', batch.length);
      }
    }
  }

  private drop(reason: DropReason, count: number): void {
    opsLogRecordsDropped.inc({ reason }, count);
    this.unreported[reason] += count;
    const wait = this.lastNoticeAt + this.noticeIntervalMs - Date.now();
    if (wait <= 0) this.reportDrops();
    else if (!this.noticeTimer) {
      this.noticeTimer = setTimeout(() => {
        this.noticeTimer = undefined;
        this.reportDrops();
      }, wait);
      this.noticeTimer.unref();
    }
  }

  private reportDrops(): void {
    const { buffer_full: bufferFull, send_failed: sendFailed } = this.unreported;
    if (bufferFull + sendFailed === 0) return;
    this.lastNoticeAt = Date.now();
    this.unreported.buffer_full = 0;
    this.unreported.send_failed = 0;
    this.options.notice(
      { dropped: { bufferFull, sendFailed }, buffered: this.buffer.length, lastSendError: this.lastSendError },
      `dropped ${bufferFull + sendFailed} log records meant for ops.logs.v1 (Kafka slow or unreachable); counted in ops_log_records_dropped_total`,
    );
  }
}
