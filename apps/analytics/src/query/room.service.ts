import type { WindowReader } from './window-reader';
import { lastMinutes, lastSeconds, sum } from './window-reader';

export interface RoomView {
  roomId: string;
  total: { messages: number; bytes: number };
  /** Messages in the last 1 and 5 minutes (from per-second buckets) and 60 minutes (per-minute). */
  messages: { last1m: number; last5m: number; last60m: number };
  /** Distinct senders (HyperLogLog, ~0.81% standard error) in the last 5 and 60 minutes. */
  distinctSenders: { last5m: number; last60m: number };
  /** Messages per minute over the last 60 minutes, oldest first. */
  series: { minute: string; messages: number }[];
}

/** One room's activity; a room never seen reads as zeros. */
export class RoomService {
  constructor(
    private readonly reader: WindowReader,
    private readonly clock: () => number = Date.now,
  ) {}

  async room(roomId: string): Promise<RoomView> {
    const { keys } = this.reader;
    const now = this.clock();
    const seconds = lastSeconds(now, 300);
    const minutes = lastMinutes(now, 60);
    const [total, perSecond, perMinute, last5m, last60m] = await Promise.all([
      this.reader.count(keys.roomTotals(roomId)),
      this.reader.counts(seconds.map((s) => keys.roomSecond(s, roomId))),
      this.reader.counts(minutes.map((m) => keys.roomMinute(m, roomId))),
      this.reader.pfcount(minutes.slice(-5).map((m) => keys.roomSenders(m, roomId))),
      this.reader.pfcount(minutes.map((m) => keys.roomSenders(m, roomId))),
    ]);
    return {
      roomId,
      total: { messages: total.messages, bytes: total.bytes },
      messages: {
        last1m: sum(perSecond.slice(-60)).messages,
        last5m: sum(perSecond).messages,
        last60m: sum(perMinute).messages,
      },
      distinctSenders: { last5m, last60m },
      series: minutes.map((m, i) => ({ minute: new Date(m * 60_000).toISOString(), messages: perMinute[i]?.messages ?? 0 })),
    };
  }
}
