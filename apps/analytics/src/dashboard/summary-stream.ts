import type { SummaryView } from '../query/summary.service';

export interface StreamOptions {
  maxClients: number;
  intervalMs: number;
  /** A client whose socket holds more unsent bytes than this is too slow: it is dropped. */
  maxBufferedBytes?: number;
}

/** What the stream needs of a response: node's ServerResponse in the app, a recorder in unit tests. */
export interface StreamClient {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: string): unknown;
  end(): unknown;
  once(event: 'close', listener: () => void): unknown;
  readonly writableLength: number;
}

/**
 * One timer for all dashboards: each tick reads the summary once and pushes it to every client as
 * an SSE `summary` event, so the Redis cost does not grow with the number of viewers. The timer
 * runs only while someone listens; a tick still reading skips the next.
 */
export class SummaryStream {
  private readonly clients = new Set<StreamClient>();
  private timer?: NodeJS.Timeout;
  private reading = false;

  constructor(
    private readonly read: () => Promise<SummaryView>,
    private readonly options: StreamOptions,
    private readonly onReadError: (error: unknown) => void = () => undefined,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  /** False when full: the caller answers 503. Otherwise the response is the client's until it closes. */
  add(client: StreamClient): boolean {
    if (this.clients.size >= this.options.maxClients) return false;
    client.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      // A reverse proxy must pass each event on at once, not buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    // The browser's EventSource waits this long before it reconnects.
    client.write(`retry: ${Math.max(1000, this.options.intervalMs)}\n\n`);
    this.clients.add(client);
    client.once('close', () => this.remove(client));
    if (!this.timer) {
      this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
      void this.tick();
    }
    return true;
  }

  /** Ends every stream (shutdown). */
  closeAll(): void {
    for (const client of [...this.clients]) {
      this.remove(client);
      client.end();
    }
  }

  async tick(): Promise<void> {
    if (this.reading || this.clients.size === 0) return;
    this.reading = true;
    let event: string;
    try {
      event = `event: summary\ndata: ${JSON.stringify(await this.read())}\n\n`;
    } catch (error) {
      this.onReadError(error);
      event = `event: unavailable\ndata: ${JSON.stringify({ reason: 'the aggregates could not be read; retrying' })}\n\n`;
    } finally {
      this.reading = false;
    }
    const limit = this.options.maxBufferedBytes ?? 1_000_000;
    for (const client of [...this.clients]) {
      if (client.writableLength > limit) {
        this.remove(client);
        client.end();
      } else {
        client.write(event);
      }
    }
  }

  private remove(client: StreamClient): void {
    this.clients.delete(client);
    if (this.clients.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
