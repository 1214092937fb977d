import type { AnalyticsKeyBuilder } from '@chat/contracts';
import type { Redis } from '@chat/redis';
import { APPLY_SCRIPT } from './apply-script';
import type { Op } from './plan-builder';

type ApplyRedis = Redis & {
  analyticsApply(offsets: string, field: string, expected: string, next: string, ops: string, lock: string, holder: string): Promise<number>;
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

/** A rebuild holds the lock: nothing was written; the batch is redelivered and counted after it. */
export class RebuildInProgressError extends Error {
  constructor(ref: PartitionRef) {
    super(`a rebuild of the analytics aggregates is running; ${fieldOf(ref)} waits for it`);
    this.name = 'RebuildInProgressError';
  }
}

export class RedisAggregateStore implements AggregateStore {
  private readonly redis: ApplyRedis;

  /** `holder`: the token of the rebuild this store writes for; '' (the live service) for none. */
  constructor(
    redis: Redis,
    private readonly keys: AnalyticsKeyBuilder,
    private readonly holder = '',
  ) {
    // defineCommand sends EVALSHA, and the script itself only when Redis does not know it yet.
    if (!('analyticsApply' in redis)) redis.defineCommand('analyticsApply', { numberOfKeys: 0, lua: APPLY_SCRIPT });
    this.redis = redis as ApplyRedis;
  }

  storedNext(ref: PartitionRef): Promise<string | null> {
    return this.redis.hget(this.keys.offsets(ref.groupId), fieldOf(ref));
  }

  async apply(ref: PartitionRef, expected: string | null, next: string, ops: readonly Op[]): Promise<boolean> {
    const { offsets, rebuildLock } = this.keys;
    const applied = await this.redis.analyticsApply(offsets(ref.groupId), fieldOf(ref), expected ?? '', next, JSON.stringify(ops), rebuildLock(), this.holder);
    if (applied === 2) throw new RebuildInProgressError(ref);
    return applied === 1;
  }
}
