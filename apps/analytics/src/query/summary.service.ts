import { quantile, mergeDelayHashes, DELAY_RELATIVE_ERROR } from '../aggregate/delay-sketch';
import type { ErrorsService, ErrorsView } from './errors.service';
import type { WindowReader } from './window-reader';
import { lastMinutes, lastSeconds, sum } from './window-reader';

const TOP_ROOMS = 10;
/** "Rates now" average the last full seconds: the current one is still filling. */
const RATE_SECONDS = 10;

export interface SummaryView {
  at: string;
  total: { messages: number; bytes: number; typing: number; receipts: number };
  ratesPerSecond: { messages: number; bytes: number; typing: number; receipts: number };
  onlineNow: number;
  /** Distinct senders (HyperLogLog) in the last 5 minutes. */
  distinctSenders5m: number;
  topRooms5m: { roomId: string; messages: number }[];
  /** Delivery delay, sentAt → consumed by analytics, over the last 5 minutes. */
  delay5m: { count: number; p50Ms: number | null; p99Ms: number | null; relativeError: number };
  errors5m: ErrorsView['services'];
  /** The last 5 minutes per second, oldest first (online: as last sampled in that second). */
  seconds: { second: string; messages: number; online: number | null }[];
}

export class SummaryService {
  constructor(
    private readonly reader: WindowReader,
    private readonly errors: ErrorsService,
    private readonly clock: () => number = Date.now,
  ) {}

  async summary(): Promise<SummaryView> {
    const { keys } = this.reader;
    const now = this.clock();
    const seconds = lastSeconds(now, 300);
    const minutes5 = lastMinutes(now, 5);
    const [total, perSecond, online, onlineNow, senders, top, delays, errors] = await Promise.all([
      this.reader.count(keys.totals()),
      this.reader.counts(seconds.map(keys.second)),
      this.reader.field(seconds.map(keys.second), 'online'),
      this.reader.scard(keys.online()),
      this.reader.pfcount(minutes5.map(keys.senders)),
      this.reader.top(minutes5.map(keys.topRooms), TOP_ROOMS),
      this.reader.hashes(minutes5.map(keys.delay)),
      this.errors.errors(5),
    ]);
    const recent = sum(perSecond.slice(-1 - RATE_SECONDS, -1));
    const sketch = mergeDelayHashes(delays);
    return {
      at: new Date(now).toISOString(),
      total,
      ratesPerSecond: {
        messages: recent.messages / RATE_SECONDS,
        bytes: recent.bytes / RATE_SECONDS,
        typing: recent.typing / RATE_SECONDS,
        receipts: recent.receipts / RATE_SECONDS,
      },
      onlineNow,
      distinctSenders5m: senders,
      topRooms5m: top.map(({ member, score }) => ({ roomId: member, messages: score })),
      delay5m: {
        count: [...sketch.values()].reduce((a, b) => a + b, 0),
        p50Ms: quantile(sketch, 0.5),
        p99Ms: quantile(sketch, 0.99),
        relativeError: DELAY_RELATIVE_ERROR,
      },
      errors5m: errors.services,
      seconds: seconds.map((s, i) => ({ second: new Date(s * 1000).toISOString(), messages: perSecond[i]?.messages ?? 0, online: online[i] ?? null })),
    };
  }
}
