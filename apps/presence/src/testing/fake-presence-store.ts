import { PresenceKeys } from '../state/keys';
import type { GatewayChunk, SegmentReads } from '../state/planner';
import type { OutboxEntry, PresenceStore } from '../state/presence-store';
import type { Check, Commit, Op } from '../state/working-set';

/**
 * The subset of Redis the commit script and the store use, in memory (unit tests): it runs the
 * same checks and ops the Lua script runs.
 */
export class FakeRedis {
  readonly strings = new Map<string, string>();
  readonly hashes = new Map<string, Map<string, string>>();
  readonly zsets = new Map<string, Map<string, number>>();
  readonly sets = new Map<string, Set<string>>();
  readonly streams = new Map<string, [string, string][]>();
  private seq = 0;

  hash(key: string): Map<string, string> {
    return this.hashes.get(key) ?? new Map();
  }
  zset(key: string): Map<string, number> {
    return this.zsets.get(key) ?? new Map();
  }
  set(key: string): Set<string> {
    return this.sets.get(key) ?? new Set();
  }

  holds(check: Check): boolean {
    switch (check[0]) {
      case 'get':
        return (this.strings.get(check[1]) ?? null) === check[2];
      case 'hget':
        return (this.hash(check[1]).get(check[2]) ?? null) === check[3];
      case 'zscore': {
        const score = this.zset(check[1]).get(check[2]);
        return (score === undefined ? null : String(score)) === check[3];
      }
      case 'hlen':
        return String(this.hash(check[1]).size) === check[2];
    }
  }

  run([command, key, ...args]: Op): void {
    if (key === undefined) throw new Error(`FakeRedis: ${command} without a key`);
    const arg = (i: number): string => {
      const value = args[i];
      if (value === undefined) throw new Error(`FakeRedis: ${command} ${key} has no argument ${i}`);
      return value;
    };
    const mutable = <T>(map: Map<string, T>, make: () => T): T => {
      if (!map.has(key)) map.set(key, make());
      return map.get(key) as T;
    };
    switch (command) {
      case 'SET':
        this.strings.set(key, arg(0));
        return;
      case 'DEL':
        this.strings.delete(key);
        this.hashes.delete(key);
        return;
      case 'HSET':
        for (let i = 0; i < args.length; i += 2) mutable(this.hashes, () => new Map<string, string>()).set(arg(i), arg(i + 1));
        return;
      case 'HDEL':
        args.forEach((field) => this.hashes.get(key)?.delete(field));
        if (this.hashes.get(key)?.size === 0) this.hashes.delete(key);
        return;
      case 'ZADD': {
        const nx = args[0] === 'NX';
        const score = arg(nx ? 1 : 0);
        const member = arg(nx ? 2 : 1);
        const zset = mutable(this.zsets, () => new Map<string, number>());
        if (!nx || !zset.has(member)) zset.set(member, Number(score));
        return;
      }
      case 'ZREM':
        args.forEach((member) => this.zsets.get(key)?.delete(member));
        return;
      case 'SADD':
        args.forEach((member) => mutable(this.sets, () => new Set<string>()).add(member));
        return;
      case 'SREM':
        args.forEach((member) => this.sets.get(key)?.delete(member));
        if (this.sets.get(key)?.size === 0) this.sets.delete(key);
        return;
      case 'XADD':
        mutable(this.streams, () => [] as [string, string][]).push([`${Date.now()}-${this.seq++}`, arg(args.indexOf('v') + 1)]);
        return;
      default:
        throw new Error(`FakeRedis: unsupported command ${command}`);
    }
  }
}

export class FakePresenceStore implements PresenceStore {
  readonly redis = new FakeRedis();
  /** Called before each commit's checks: a test changes state here to simulate a race. */
  beforeCommit?: (commit: Commit) => void;
  commits = 0;

  constructor(private readonly group: string) {}

  async readSegment(userIds: readonly string[], gatewayIds: readonly string[], partition: number): Promise<SegmentReads> {
    return {
      users: await this.readUsers(userIds),
      gone: new Map(gatewayIds.map((g) => [g, this.redis.strings.get(PresenceKeys.gatewayGone(g)) ?? null])),
      applied: await this.readApplied(partition),
    };
  }

  async readApplied(partition: number): Promise<string | null> {
    return this.redis.hash(PresenceKeys.applied(this.group)).get(String(partition)) ?? null;
  }

  async readGatewayChunk(gatewayId: string, limit: number): Promise<GatewayChunk> {
    const all = [...this.redis.hash(PresenceKeys.gatewayConns(gatewayId))];
    const conns = all.slice(0, limit);
    const lease = this.redis.zset(PresenceKeys.leases).get(gatewayId);
    return {
      conns,
      total: all.length,
      gone: this.redis.strings.get(PresenceKeys.gatewayGone(gatewayId)) ?? null,
      lease: lease === undefined ? null : String(lease),
      users: await this.readUsers([...new Set(conns.map(([, userId]) => userId))]),
    };
  }

  async readUsers(userIds: readonly string[]): Promise<Map<string, string | null>> {
    return new Map(userIds.map((id) => [id, this.redis.strings.get(PresenceKeys.user(id)) ?? null]));
  }

  async dueUsers(cutoff: number, limit: number): Promise<string[]> {
    return this.byScore(PresenceKeys.pending, cutoff, limit).map(([member]) => member);
  }

  async expiredGateways(cutoff: number, limit: number): Promise<[string, string][]> {
    return this.byScore(PresenceKeys.leases, cutoff, limit).map(([member, score]) => [member, String(score)]);
  }

  private byScore(key: string, cutoff: number, limit: number): [string, number][] {
    return [...this.redis.zset(key)]
      .filter(([, score]) => score <= cutoff)
      .sort((a, b) => a[1] - b[1])
      .slice(0, limit);
  }

  async commit(commit: Commit): Promise<boolean> {
    this.beforeCommit?.(commit);
    this.commits++;
    if (!commit.checks.every((check) => this.redis.holds(check))) return false;
    commit.ops.forEach((op) => this.redis.run(op));
    return true;
  }

  async readOutbox(limit: number): Promise<OutboxEntry[]> {
    return (this.redis.streams.get(PresenceKeys.outbox(this.group)) ?? []).slice(0, limit).map(([id, value]) => ({ id, value }));
  }

  async deleteOutbox(ids: readonly string[]): Promise<void> {
    const stream = this.redis.streams.get(PresenceKeys.outbox(this.group)) ?? [];
    this.redis.streams.set(
      PresenceKeys.outbox(this.group),
      stream.filter(([id]) => !ids.includes(id)),
    );
  }

  async outboxLength(): Promise<number> {
    return (this.redis.streams.get(PresenceKeys.outbox(this.group)) ?? []).length;
  }

  async reportCaughtUp(partitions: readonly number[], at: number): Promise<void> {
    for (const p of partitions) this.redis.run(['HSET', PresenceKeys.caughtUp(this.group), String(p), String(at)]);
  }

  async watermark(partitionCount: number): Promise<number | null> {
    const hash = this.redis.hash(PresenceKeys.caughtUp(this.group));
    const values = Array.from({ length: partitionCount }, (_, p) => hash.get(String(p)));
    if (partitionCount === 0 || values.some((v) => v === undefined)) return null;
    return Math.min(...values.map(Number));
  }

  leader: string | null = null;
  async acquireLeadership(instanceId: string): Promise<boolean> {
    if (this.leader === null || this.leader === instanceId) this.leader = instanceId;
    return this.leader === instanceId;
  }
  async releaseLeadership(instanceId: string): Promise<void> {
    if (this.leader === instanceId) this.leader = null;
  }

  /** Test helpers. */
  roomOnline(roomId: string): string[] {
    return [...this.redis.set(PresenceKeys.roomOnline(roomId))].sort();
  }
  user(userId: string): unknown {
    const raw = this.redis.strings.get(PresenceKeys.user(userId));
    return raw === undefined ? null : JSON.parse(raw);
  }
}
