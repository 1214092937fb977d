import type { PresenceChange, PresenceEvent } from '@chat/contracts';
import { DropReason, EventRecord, PlanContext, planDrop, planSegment, planSettle, SegmentEvent, segmentKeys } from './planner';
import type { PresenceStore } from './presence-store';
import { PresenceKeys } from './keys';

export interface EngineOptions {
  group: string;
  graceMs: number;
  defaultLeaseMs: number;
  clock?: () => number;
}

export interface EngineStats {
  applied: number;
  duplicates: number;
  stale: number;
  conflicts: number;
  changes: PresenceChange[];
}

/** Events per commit: bounds the script's size and how long it holds Redis. */
const SEGMENT_SIZE = 500;
/** Connections dropped per commit when a gateway is gone. */
const DROP_CHUNK = 500;
/** Users settled per sweep. */
const SETTLE_LIMIT = 1000;
/** Expired gateways handled per sweep. */
const EXPIRE_LIMIT = 20;
/** Commits that lost a race are re-read and decided again, this many times before giving up. */
const MAX_ATTEMPTS = 25;

export class ConflictError extends Error {
  constructor(what: string) {
    super(`${what}: gave up after ${MAX_ATTEMPTS} conflicting concurrent updates`);
    this.name = 'ConflictError';
  }
}

const emptyStats = (): EngineStats => ({ applied: 0, duplicates: 0, stale: 0, conflicts: 0, changes: [] });

/**
 * Reads, decides (pure planners), commits (compare-and-set) and retries on conflict. The only
 * place that writes presence state; used by the consumer (events) and the leader (deadlines).
 */
export class PresenceEngine {
  private readonly clock: () => number;

  constructor(
    private readonly store: PresenceStore,
    private readonly options: EngineOptions,
  ) {
    this.clock = options.clock ?? Date.now;
  }

  private context(): PlanContext {
    const { group, graceMs, defaultLeaseMs } = this.options;
    return { group, graceMs, defaultLeaseMs, now: this.clock() };
  }

  /** The valid records of one partition's batch, in offset order. */
  async applyRecords(partition: number, records: readonly EventRecord[]): Promise<EngineStats> {
    const stats = emptyStats();
    for (const segment of segments(records)) {
      if (segment.kind === 'stopped') await this.applyStopped(partition, segment.record, stats);
      else await this.applySegment(partition, segment.records, stats);
    }
    return stats;
  }

  private async applySegment(partition: number, records: EventRecord<SegmentEvent>[], stats: EngineStats): Promise<void> {
    const { userIds, gatewayIds } = segmentKeys(records);
    const firstOffset = records[0]?.offset;
    const lastOffset = records.at(-1)?.offset;
    if (firstOffset === undefined || lastOffset === undefined) return;
    const nextOffset = lastOffset + 1;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const reads = await this.store.readSegment(userIds, gatewayIds, partition);
      const { commit, outcome } = planSegment(reads, records, partition, nextOffset, this.context());
      if (await this.store.commit(commit)) {
        stats.applied += outcome.applied;
        stats.duplicates += outcome.duplicates;
        stats.stale += outcome.stale;
        stats.changes.push(...commit.changes);
        return;
      }
      stats.conflicts++;
    }
    throw new ConflictError(`partition ${partition} offsets ${firstOffset}..${lastOffset}`);
  }

  private async applyStopped(partition: number, record: EventRecord<Extract<PresenceEvent, { type: 'gateway_stopped' }>>, stats: EngineStats): Promise<void> {
    const applied = await this.store.readApplied(partition);
    if (applied !== null && record.offset < Number(applied)) {
      stats.duplicates++;
      return;
    }
    await this.dropGateway(record.event.gatewayId, { kind: 'stopped', at: record.event.at }, stats);
    const key = PresenceKeys.applied(this.options.group);
    const next = String(Math.max(record.offset + 1, applied === null ? 0 : Number(applied)));
    // Only a concurrent consumer of the same partition (a rebalance) can conflict: it moved it on.
    await this.store.commit({ checks: [['hget', key, String(partition), applied]], ops: [['HSET', key, String(partition), next]], changes: [] });
    stats.applied++;
  }

  /** Drops every connection of a stopped or dead gateway, a chunk per commit. */
  async dropGateway(gatewayId: string, reason: DropReason, stats: EngineStats = emptyStats()): Promise<EngineStats> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; ) {
      const chunk = await this.store.readGatewayChunk(gatewayId, DROP_CHUNK);
      // A heartbeat renewed the lease after all (or another sweep finished the job).
      if (reason.kind === 'expired' && chunk.lease !== reason.leaseUntil) return stats;
      const { commit, done } = planDrop(gatewayId, chunk, reason, this.context());
      if (await this.store.commit(commit)) {
        stats.changes.push(...commit.changes);
        if (done) return stats;
      } else {
        stats.conflicts++;
        attempt++;
      }
    }
    throw new ConflictError(`dropping gateway ${gatewayId}`);
  }

  /** Gateways whose lease ended at or before `cutoff` are dead: their connections are dropped. */
  async expireGateways(cutoff: number): Promise<EngineStats & { gateways: number }> {
    const stats = emptyStats();
    const expired = await this.store.expiredGateways(cutoff, EXPIRE_LIMIT);
    for (const [gatewayId, leaseUntil] of expired) await this.dropGateway(gatewayId, { kind: 'expired', leaseUntil }, stats);
    return { ...stats, gateways: expired.length };
  }

  /** Deadlines at or before `cutoff`: users still without a connection go offline. */
  async settleDue(cutoff: number): Promise<EngineStats> {
    const stats = emptyStats();
    const due = await this.store.dueUsers(cutoff, SETTLE_LIMIT);
    if (due.length === 0) return stats;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const commit = planSettle(await this.store.readUsers(due), cutoff, this.context());
      if (await this.store.commit(commit)) {
        stats.changes.push(...commit.changes);
        return stats;
      }
      stats.conflicts++;
    }
    throw new ConflictError('settling due users');
  }
}

type Segment =
  | { kind: 'events'; records: EventRecord<SegmentEvent>[] }
  | { kind: 'stopped'; record: EventRecord<Extract<PresenceEvent, { type: 'gateway_stopped' }>> };

/** Runs of ordinary events (at most SEGMENT_SIZE each), each gateway_stopped on its own. */
export function segments(records: readonly EventRecord[]): Segment[] {
  const result: Segment[] = [];
  let run: EventRecord<SegmentEvent>[] = [];
  const flush = () => {
    if (run.length > 0) result.push({ kind: 'events', records: run });
    run = [];
  };
  for (const record of records) {
    const { event } = record;
    if (event.type === 'gateway_stopped') {
      flush();
      result.push({ kind: 'stopped', record: { offset: record.offset, event } });
    } else {
      run.push({ offset: record.offset, event });
      if (run.length >= SEGMENT_SIZE) flush();
    }
  }
  flush();
  return result;
}
