import type { Redis } from '@chat/redis';
import { COMMIT_SCRIPT, LEADER_SCRIPT, PresenceKeys, RELEASE_SCRIPT } from './keys';
import type { GatewayChunk, SegmentReads } from './planner';
import type { Commit } from './working-set';

export interface OutboxEntry {
  id: string;
  /** PresenceChange JSON as the commit wrote it. */
  value: string;
}

/**
 * Every Redis access of the service, for one consumer group. Reads feed the pure planners; all
 * writes go through `commit`, an atomic compare-and-set.
 */
export interface PresenceStore {
  readSegment(userIds: readonly string[], gatewayIds: readonly string[], partition: number): Promise<SegmentReads>;
  readApplied(partition: number): Promise<string | null>;
  /** Up to `limit` of a gateway's connections, with their users and what a drop depends on. */
  readGatewayChunk(gatewayId: string, limit: number): Promise<GatewayChunk>;
  readUsers(userIds: readonly string[]): Promise<Map<string, string | null>>;
  /** Users with a deadline at or before `cutoff`. */
  dueUsers(cutoff: number, limit: number): Promise<string[]>;
  /** Gateways whose lease ended at or before `cutoff`, with the raw lease score. */
  expiredGateways(cutoff: number, limit: number): Promise<[gatewayId: string, leaseUntil: string][]>;
  /** False when a check failed: nothing was written, re-read and decide again. */
  commit(commit: Commit): Promise<boolean>;
  readOutbox(limit: number): Promise<OutboxEntry[]>;
  deleteOutbox(ids: readonly string[]): Promise<void>;
  outboxLength(): Promise<number>;
  reportCaughtUp(partitions: readonly number[], at: number): Promise<void>;
  /** The minimum caught-up time over partitions 0..count-1, or null if one never reported. */
  watermark(partitionCount: number): Promise<number | null>;
  acquireLeadership(instanceId: string, ttlMs: number): Promise<boolean>;
  releaseLeadership(instanceId: string): Promise<void>;
}

type PresenceRedis = Redis & {
  presenceCommit(payload: string): Promise<number>;
  presenceLead(key: string, instanceId: string, ttlMs: string): Promise<number>;
  presenceRelease(key: string, instanceId: string): Promise<number>;
};

/** ioredis reports per-command failures inside exec's result instead of rejecting. */
/** `[k1, v1, k2, v2, ...]` (HSCAN, WITHSCORES) as pairs; a dangling last key has no pair. */
export function pairs(flat: readonly string[]): [string, string][] {
  const paired: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const [key, value] = flat.slice(i, i + 2);
    if (key !== undefined && value !== undefined) paired.push([key, value]);
  }
  return paired;
}

function results(replies: [Error | null, unknown][] | null): unknown[] {
  if (replies === null) throw new Error('Redis pipeline was not executed');
  return replies.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

export class RedisPresenceStore implements PresenceStore {
  private readonly redis: PresenceRedis;

  constructor(
    redis: Redis,
    private readonly group: string,
  ) {
    if (!('presenceCommit' in redis)) {
      redis.defineCommand('presenceCommit', { numberOfKeys: 0, lua: COMMIT_SCRIPT });
      redis.defineCommand('presenceLead', { numberOfKeys: 1, lua: LEADER_SCRIPT });
      redis.defineCommand('presenceRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    }
    this.redis = redis as PresenceRedis;
  }

  async readSegment(userIds: readonly string[], gatewayIds: readonly string[], partition: number): Promise<SegmentReads> {
    const pipeline = this.redis.pipeline();
    if (userIds.length > 0) pipeline.mget(...userIds.map(PresenceKeys.user));
    if (gatewayIds.length > 0) pipeline.mget(...gatewayIds.map(PresenceKeys.gatewayGone));
    pipeline.hget(PresenceKeys.applied(this.group), String(partition));
    const values = results(await pipeline.exec());
    const users = userIds.length > 0 ? (values.shift() as (string | null)[]) : [];
    const gone = gatewayIds.length > 0 ? (values.shift() as (string | null)[]) : [];
    return {
      // MGET answers one value per key, null for a missing one.
      users: new Map(userIds.map((id, i) => [id, users[i] ?? null])),
      gone: new Map(gatewayIds.map((id, i) => [id, gone[i] ?? null])),
      applied: values.shift() as string | null,
    };
  }

  readApplied(partition: number): Promise<string | null> {
    return this.redis.hget(PresenceKeys.applied(this.group), String(partition));
  }

  async readGatewayChunk(gatewayId: string, limit: number): Promise<GatewayChunk> {
    const key = PresenceKeys.gatewayConns(gatewayId);
    const conns = new Map<string, string>();
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(key, cursor, 'COUNT', limit);
      for (const [connectionId, userId] of pairs(flat)) {
        if (conns.size >= limit) break;
        conns.set(connectionId, userId);
      }
      cursor = next;
    } while (cursor !== '0' && conns.size < limit);
    const [total, gone, lease] = results(
      await this.redis.pipeline().hlen(key).get(PresenceKeys.gatewayGone(gatewayId)).zscore(PresenceKeys.leases, gatewayId).exec(),
    ) as [number, string | null, string | null];
    const users = await this.readUsers([...new Set(conns.values())]);
    return { conns: [...conns], total, gone, lease, users };
  }

  async readUsers(userIds: readonly string[]): Promise<Map<string, string | null>> {
    if (userIds.length === 0) return new Map();
    const raws = await this.redis.mget(...userIds.map(PresenceKeys.user));
    return new Map(userIds.map((id, i) => [id, raws[i] ?? null]));
  }

  dueUsers(cutoff: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(PresenceKeys.pending, '-inf', cutoff, 'LIMIT', 0, limit);
  }

  async expiredGateways(cutoff: number, limit: number): Promise<[string, string][]> {
    const flat = await this.redis.zrangebyscore(PresenceKeys.leases, '-inf', cutoff, 'WITHSCORES', 'LIMIT', 0, limit);
    return pairs(flat);
  }

  async commit(commit: Commit): Promise<boolean> {
    if (commit.ops.length === 0) return true;
    return (await this.redis.presenceCommit(JSON.stringify({ checks: commit.checks, ops: commit.ops }))) === 1;
  }

  async readOutbox(limit: number): Promise<OutboxEntry[]> {
    const entries = await this.redis.xrange(PresenceKeys.outbox(this.group), '-', '+', 'COUNT', limit);
    return entries.map(([id, fields]) => {
      const value = new Map(pairs(fields)).get('v');
      // The commit script writes every entry with its v field: one without is not ours to skip.
      if (value === undefined) throw new Error(`outbox entry ${id} has no v field`);
      return { id, value };
    });
  }

  async deleteOutbox(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.redis.xdel(PresenceKeys.outbox(this.group), ...ids);
  }

  outboxLength(): Promise<number> {
    return this.redis.xlen(PresenceKeys.outbox(this.group));
  }

  async reportCaughtUp(partitions: readonly number[], at: number): Promise<void> {
    if (partitions.length === 0) return;
    await this.redis.hset(PresenceKeys.caughtUp(this.group), Object.fromEntries(partitions.map((p) => [String(p), String(at)])));
  }

  async watermark(partitionCount: number): Promise<number | null> {
    if (partitionCount === 0) return null;
    const fields = Array.from({ length: partitionCount }, (_, p) => String(p));
    const values = await this.redis.hmget(PresenceKeys.caughtUp(this.group), ...fields);
    if (values.some((v) => v === null)) return null;
    return Math.min(...values.map(Number));
  }

  async acquireLeadership(instanceId: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.presenceLead(PresenceKeys.leader(this.group), instanceId, String(ttlMs))) === 1;
  }

  async releaseLeadership(instanceId: string): Promise<void> {
    await this.redis.presenceRelease(PresenceKeys.leader(this.group), instanceId);
  }
}
