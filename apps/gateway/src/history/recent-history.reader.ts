import type { Redis } from '@chat/redis';
import type { Logger } from '@chat/logging';
import { ErrorCode, Message, ProtocolError, RedisKeys, RedisValues } from '@chat/contracts';

/** Reads the persister's recent-history cache (a contiguous suffix of each room's history). */
export class RecentHistoryReader {
  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {}

  /**
   * Up to `count` newest messages with offset < beforeOffset (or the newest), ascending. None
   * when a member is invalid: the caller then asks the persister, which is complete.
   */
  async newest(roomId: string, count: number, beforeOffset?: number): Promise<Message[]> {
    const max = beforeOffset === undefined ? '+inf' : `(${beforeOffset}`;
    const members = await this.call(() =>
      this.redis.zrevrangebyscore(RedisKeys.recentHistory(roomId), max, '-inf', 'LIMIT', 0, count),
    );
    return this.decode(roomId, members.reverse()) ?? [];
  }

  /**
   * Up to `count` messages after `afterOffset`, ascending — or null when the cache does not
   * reach back that far (or holds an invalid member), so the caller must ask the persister.
   */
  async after(roomId: string, afterOffset: number, count: number): Promise<Message[] | null> {
    const key = RedisKeys.recentHistory(roomId);
    const [[oldestError, oldest], [rangeError, range]] = (await this.call(() =>
      this.redis.multi().zrange(key, 0, 0, 'WITHSCORES').zrangebyscore(key, `(${afterOffset}`, '+inf', 'LIMIT', 0, count).exec(),
    )) as [[Error | null, string[]], [Error | null, string[]]];
    if (oldestError || rangeError) throw new ProtocolError(ErrorCode.UNAVAILABLE, 'history cache read failed');
    if (oldest.length === 0 || Number(oldest[1]) > afterOffset) return null;
    return this.decode(roomId, range);
  }

  /**
   * All members or nothing: skipping one would leave a gap in what must be contiguous, so an
   * invalid member makes the whole read a miss (it stays until the persister trims it away).
   */
  private decode(roomId: string, members: readonly string[]): Message[] | null {
    const messages: Message[] = [];
    for (const member of members) {
      const decoded = RedisValues.recentMessage.decode(member);
      if (!decoded.ok) {
        this.logger.warn({ roomId, error: decoded.error }, 'invalid recent-history member; reading the persister instead');
        return null;
      }
      messages.push(decoded.value);
    }
    return messages;
  }

  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new ProtocolError(ErrorCode.UNAVAILABLE, `history cache unavailable: ${(error as Error).message}`);
    }
  }
}
