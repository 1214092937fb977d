import type { AnalyticsKeyBuilder } from '@chat/contracts';
import type { Redis } from '@chat/redis';
import { APPLY_SCRIPT } from './apply-script';
import type { Op } from './plan-builder';

type ApplyRedis = Redis & {
  analyticsApply(offsets: string, field: string, expected: string, next: string, ops: string): Promise<number>;
};

export interface PartitionRef {
  groupId: string;
  topic: string;
  partition: number;
}

/** The only writes of analytics: a batch's ops with its partition's next offset, in one script. */
export interface AggregateStore {
  /** The partition's next offset as last applied, or null if none was. */
  storedNext(ref: PartitionRef): Promise<string | null>;
  /** False when the stored offset is no longer `expected`: nothing was written. */
  apply(ref: PartitionRef, expected: string | null, next: string, ops: readonly Op[]): Promise<boolean>;
}

const fieldOf = (ref: PartitionRef) => `${ref.topic}/${ref.partition}`;

export class RedisAggregateStore implements AggregateStore {
  private readonly redis: ApplyRedis;

  constructor(
    redis: Redis,
    private readonly keys: AnalyticsKeyBuilder,
  ) {
    // defineCommand sends EVALSHA, and the script itself only when Redis does not know it yet.
    if (!('analyticsApply' in redis)) redis.defineCommand('analyticsApply', { numberOfKeys: 0, lua: APPLY_SCRIPT });
    this.redis = redis as ApplyRedis;
  }

  storedNext(ref: PartitionRef): Promise<string | null> {
    return this.redis.hget(this.keys.offsets(ref.groupId), fieldOf(ref));
  }

  async apply(ref: PartitionRef, expected: string | null, next: string, ops: readonly Op[]): Promise<boolean> {
    const applied = await this.redis.analyticsApply(this.keys.offsets(ref.groupId), fieldOf(ref), expected ?? '', next, JSON.stringify(ops));
    return applied === 1;
  }
}
