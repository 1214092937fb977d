import { Inject, Injectable } from '@nestjs/common';
import { REDIS, Redis } from '@chat/redis';
import { Message, RedisKeys, RedisValues } from '@chat/contracts';
import { PERSISTER_CONFIG, PersisterConfig } from '../config/persister.config';
import { assertPipelineSucceeded, cacheCommands } from './cache-commands';

/** The only writer of the recent-history keys (RedisKeys.recentHistory in @chat/contracts). */
@Injectable()
export class RecentHistoryCache {
  private readonly size: number;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(PERSISTER_CONFIG) config: Pick<PersisterConfig, 'RECENT_HISTORY_SIZE'>,
  ) {
    this.size = config.RECENT_HISTORY_SIZE;
  }

  /** One round trip per batch; throws if any command failed so the batch is retried. */
  async add(messages: readonly Message[]): Promise<void> {
    if (messages.length === 0) return;
    const commands = cacheCommands(messages, this.size);
    const results = await this.redis.pipeline(commands).exec();
    assertPipelineSucceeded(results, commands);
  }

  /** Ascending by offset; used by tests and diagnostics (gateways read the key directly). */
  async read(roomId: string): Promise<Message[]> {
    const members = await this.redis.zrange(RedisKeys.recentHistory(roomId), 0, -1);
    return members.map((member) => {
      const decoded = RedisValues.recentMessage.decode(member);
      if (!decoded.ok) throw new Error(`invalid recent-history member of ${roomId}: ${decoded.error}`);
      return decoded.value;
    });
  }
}
