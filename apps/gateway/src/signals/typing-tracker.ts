import { TYPING_EXPIRY_MS } from '@chat/contracts';

/**
 * Remembers who is typing where on this gateway, so a typing state that gets no update
 * (a closed tab, a client that never says "stopped") ends after TYPING_EXPIRY_MS for everyone.
 */
export class TypingTracker {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly onExpired: (connectionId: string, roomId: string) => void,
    private readonly expiryMs = TYPING_EXPIRY_MS,
  ) {}

  update(connectionId: string, roomId: string, typing: boolean): void {
    const key = `${connectionId}\u0000${roomId}`;
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    if (!typing) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.onExpired(connectionId, roomId);
    }, this.expiryMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  /** Ends now every typing state of the connection (in `roomId` only, when given); returns their rooms. */
  clear(connectionId: string, roomId?: string): string[] {
    const ended: string[] = [];
    for (const [key, timer] of this.timers) {
      const [connection, room] = key.split('\u0000');
      if (room === undefined || connection !== connectionId || (roomId !== undefined && room !== roomId)) continue;
      clearTimeout(timer);
      this.timers.delete(key);
      ended.push(room);
    }
    return ended;
  }
}
