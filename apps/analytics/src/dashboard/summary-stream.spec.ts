import { EventEmitter } from 'node:events';
import type { SummaryView } from '../query/summary.service';
import { StreamClient, SummaryStream } from './summary-stream';

/** A response that records what it was sent and can be closed like a disconnecting browser. */
class RecordingClient extends EventEmitter implements StreamClient {
  status?: number;
  chunks: string[] = [];
  ended = false;
  writableLength = 0;
  writeHead(status: number): this {
    this.status = status;
    return this;
  }
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  end(): this {
    this.ended = true;
    return this;
  }
  events(): string[] {
    return this.chunks.filter((c) => c.startsWith('event:'));
  }
}

const summary = (at: string) => ({ at }) as SummaryView;

describe('SummaryStream', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());
  const flush = () => jest.advanceTimersByTimeAsync(0);

  it('pushes one read of the summary to every client each interval, as an SSE summary event', async () => {
    let reads = 0;
    const stream = new SummaryStream(async () => summary(`t${++reads}`), { maxClients: 5, intervalMs: 1000 });
    const [a, b] = [new RecordingClient(), new RecordingClient()];
    expect(stream.add(a)).toBe(true);
    expect(stream.add(b)).toBe(true);
    await flush();
    await jest.advanceTimersByTimeAsync(2000);
    expect(reads).toBe(3);
    expect(a.status).toBe(200);
    expect(a.chunks[0]).toBe('retry: 1000\n\n');
    expect(a.events()).toEqual(['event: summary\ndata: {"at":"t1"}\n\n', 'event: summary\ndata: {"at":"t2"}\n\n', 'event: summary\ndata: {"at":"t3"}\n\n']);
    expect(b.events()).toEqual(a.events());
  });

  it('refuses a client past the bound, and frees its place when one disconnects; reads stop with no one left', async () => {
    let reads = 0;
    const stream = new SummaryStream(async () => summary(String(++reads)), { maxClients: 1, intervalMs: 1000 });
    const first = new RecordingClient();
    expect(stream.add(first)).toBe(true);
    expect(stream.add(new RecordingClient())).toBe(false);
    first.emit('close');
    expect(stream.size).toBe(0);
    await jest.advanceTimersByTimeAsync(5000);
    const readsAfterClose = reads;
    await jest.advanceTimersByTimeAsync(5000);
    expect(reads).toBe(readsAfterClose);
    expect(stream.add(new RecordingClient())).toBe(true);
    stream.closeAll();
  });

  it('tells clients when the summary cannot be read, and drops a client too slow to take its events', async () => {
    const errors: unknown[] = [];
    const stream = new SummaryStream(() => Promise.reject(new Error('redis down')), { maxClients: 5, intervalMs: 1000, maxBufferedBytes: 10 }, (e) => errors.push(e));
    const [fast, slow] = [new RecordingClient(), new RecordingClient()];
    stream.add(fast);
    stream.add(slow);
    await flush();
    expect(fast.events()[0]).toMatch(/^event: unavailable\ndata: \{"reason":/);
    expect(errors).toHaveLength(1);
    slow.writableLength = 11;
    await jest.advanceTimersByTimeAsync(1000);
    expect(slow.ended).toBe(true);
    expect(stream.size).toBe(1);
  });

  it('ends every stream on shutdown', () => {
    const stream = new SummaryStream(async () => summary('x'), { maxClients: 5, intervalMs: 1000 });
    const clients = [new RecordingClient(), new RecordingClient()];
    clients.forEach((c) => stream.add(c));
    stream.closeAll();
    expect(clients.every((c) => c.ended)).toBe(true);
    expect(stream.size).toBe(0);
  });
});
