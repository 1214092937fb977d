import type { Redis } from '@chat/redis';
import { ErrorCode, ProtocolError, RedisKeys } from '@chat/contracts';

/** Reads the presence service's per-room online set (its only writer) to answer room:join. */
export class OnlineMembersReader {
  constructor(private readonly redis: Redis) {}

  async online(roomId: string): Promise<string[]> {
    try {
      return await this.redis.smembers(RedisKeys.presenceRoomOnline(roomId));
    } catch (error) {
      throw new ProtocolError(ErrorCode.UNAVAILABLE, `presence unavailable: ${(error as Error).message}`);
    }
  }
}
