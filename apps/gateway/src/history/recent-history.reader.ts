import type { Redis } from '@chat/redis';
import { ErrorCode, Message, ProtocolError, RedisKeys } from '@chat/contracts';

/** Reads the persister's recent-history cache (a contiguous suffix of each room's history). */
export class RecentHistoryReader {
  constructor(private readonly redis: Redis) {}

  /** Up to `count` newest messages with offset < beforeOffset (or the newest), ascending. */
  async newest(roomId: string, count: number, beforeOffset?: number): Promise<Message[]> {
    const max = beforeOffset === undefined ? '+inf' : `(${beforeOffset}`;
    const members = await this.call(() =>
      this.redis.zrevrangebyscore(RedisKeys.recentHistory(roomId), max, '-inf', 'LIMIT', 0, count),
    );
    return members.reverse().map((m) => JSON.parse(m) as Message);
  }

  /**
   * Up to `count` messages after `afterOffset`, ascending — or null when the cache does not
   * reach back that far, so the caller must ask the persister.
   */
  async after(roomId: string, afterOffset: number, count: number): Promise<Message[] | null> {
    const key = RedisKeys.recentHistory(roomId);
    const [[oldestError, oldest], [rangeError, range]] = (await this.call(() =>
      this.redis.multi().zrange(key, 0, 0, 'WITHSCORES').zrangebyscore(key, `(${afterOffset}`, '+inf', 'LIMIT', 0, count).exec(),
    )) as [[Error | null, string[]], [Error | null, string[]]];
    if (oldestError || rangeError) throw new ProtocolError(ErrorCode.UNAVAILABLE, 'history cache read failed');
    if (oldest.length === 0 || Number(oldest[1]) > afterOffset) return null;
    return range.map((m) => JSON.parse(m) as Message);
  }

  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new ProtocolError(ErrorCode.UNAVAILABLE, `history cache unavailable: ${(error as Error).message}`);
    }
  }
}
