import type { Redis } from '@chat/redis';
import { RedisKeys } from '@chat/contracts';

/** Reads the presence service's per-room online set (its only writer) to answer room:join. */
export class OnlineMembersReader {
  constructor(private readonly redis: Redis) {}

  /** Presence is an addition to a join: while Redis is down the answer stands without it (empty). */
  async online(roomId: string): Promise<string[]> {
    return this.redis.smembers(RedisKeys.presenceRoomOnline(roomId)).catch(() => []);
  }
}
