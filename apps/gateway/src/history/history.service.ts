import { HistoryPage, Message } from '@chat/contracts';
import type { ReadState } from './history.client';
import { HistoryClient } from './history.client';
import { RecentHistoryReader } from './recent-history.reader';
import { RecentMessagesBuffer } from './recent-messages.buffer';

/**
 * The gateway's one entry point to history. Serves a room's history from the cheapest source that is complete for the slice asked:
 * the Redis cache, else the persister (PostgreSQL) over Kafka; both merged with the messages
 * this gateway fanned out but that may not be persisted yet.
 */
export class HistoryService {
  constructor(
    private readonly cache: RecentHistoryReader,
    private readonly persister: HistoryClient,
    private readonly buffer: RecentMessagesBuffer,
  ) {}

  /** The `limit` newest messages before `beforeOffset` (or the newest), ascending. */
  async page(roomId: string, limit: number, beforeOffset?: number): Promise<HistoryPage> {
    const inWindow = (m: Message) => beforeOffset === undefined || m.offset < beforeOffset;
    // The cache is only a shortcut: while Redis is down the persister answers alone.
    const cached = await this.cache.newest(roomId, limit + 1, beforeOffset).catch(() => []);
    // One more than asked proves the cache reaches back far enough and that there is more.
    const found =
      cached.length > limit
        ? { messages: cached, hasMore: true }
        : await this.persister.page(
            beforeOffset === undefined
              ? { mode: 'latest', roomId, limit }
              : { mode: 'before', roomId, beforeOffset, limit },
          );
    const merged = mergeByOffset(found.messages, this.buffer.get(roomId).filter(inWindow));
    return { messages: merged.slice(-limit), hasMore: found.hasMore || merged.length > limit };
  }

  /** Up to `limit` messages after `afterOffset`, ascending: what a reconnecting client missed. */
  async after(roomId: string, afterOffset: number, limit: number): Promise<Message[]> {
    const cached = await this.cache.after(roomId, afterOffset, limit).catch(() => null);
    const messages = cached ?? (await this.persister.page({ mode: 'after', roomId, afterOffset, limit })).messages;
    const fresh = this.buffer.get(roomId).filter((m) => m.offset > afterOffset);
    return mergeByOffset(messages, fresh).slice(0, limit);
  }

  /** The user's read position in the room and the messages after it: only the persister knows it. */
  readState(roomId: string, userId: string): Promise<ReadState> {
    return this.persister.readState(roomId, userId);
  }
}

/** Union ascending by offset; a messageId seen twice (a retried produce) keeps its first offset. */
export function mergeByOffset(a: readonly Message[], b: readonly Message[]): Message[] {
  if (b.length === 0) return [...a];
  const byOffset = new Map<number, Message>();
  for (const m of [...a, ...b]) byOffset.set(m.offset, m);
  const seen = new Set<string>();
  return [...byOffset.values()]
    .sort((x, y) => x.offset - y.offset)
    .filter((m) => !seen.has(m.messageId) && seen.add(m.messageId) !== undefined);
}
