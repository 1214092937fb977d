import type { PresenceEvent } from '@chat/contracts';
import { GONE_TTL_SECONDS, PresenceKeys } from './keys';
import { closeConnection, dropConnection, hasConnection, joinRoom, leaveRoom, openConnection, settle, Timing, Transition } from './user-presence';
import { Commit, WorkingSet } from './working-set';

/** Events applied in segments; gateway_stopped is handled on its own as a gateway drop. */
export type SegmentEvent = Exclude<PresenceEvent, { type: 'gateway_stopped' }>;

export interface EventRecord<E extends PresenceEvent = PresenceEvent> {
  offset: number;
  event: E;
}

export interface PlanContext extends Timing {
  group: string;
  /** Lease of a gateway seen in a connection event before any heartbeat. */
  defaultLeaseMs: number;
}

/** What a segment's decisions were computed from. */
export interface SegmentReads {
  users: Map<string, string | null>;
  /** Raw presence:gateway:{id}:gone per gateway of the segment. */
  gone: Map<string, string | null>;
  /** Raw next offset applied for the partition. */
  applied: string | null;
}

export interface SegmentOutcome {
  applied: number;
  /** Redelivered records whose effect is already in Redis. */
  duplicates: number;
  /** Connection events a gateway stamped before it stopped or was declared dead. */
  stale: number;
}

export function segmentKeys(records: readonly EventRecord<SegmentEvent>[]): { userIds: string[]; gatewayIds: string[] } {
  const userIds = new Set<string>();
  const gatewayIds = new Set<string>();
  for (const { event } of records) {
    gatewayIds.add(event.gatewayId);
    if ('userId' in event) userIds.add(event.userId);
  }
  return { userIds: [...userIds], gatewayIds: [...gatewayIds] };
}

/**
 * Applies a run of events of one partition, in order, to the state they were read from. Records
 * below the partition's applied offset are skipped (redelivery), connection events stamped before
 * their gateway stopped or died are ignored, and the applied offset moves to `nextOffset` in the
 * same commit.
 */
export function planSegment(
  reads: SegmentReads,
  records: readonly EventRecord<SegmentEvent>[],
  partition: number,
  nextOffset: number,
  ctx: PlanContext,
): { commit: Commit; outcome: SegmentOutcome } {
  const ws = new WorkingSet(PresenceKeys.outbox(ctx.group));
  const appliedKey = PresenceKeys.applied(ctx.group);
  ws.check(['hget', appliedKey, String(partition), reads.applied]);
  const appliedFrom = reads.applied === null ? -1 : Number(reads.applied);
  const gone = new Map<string, number | null>();
  for (const [gatewayId, raw] of reads.gone) {
    ws.check(['get', PresenceKeys.gatewayGone(gatewayId), raw]);
    gone.set(gatewayId, raw === null ? null : Number(raw));
  }
  for (const [userId, raw] of reads.users) ws.addUser(userId, raw);

  const outcome: SegmentOutcome = { applied: 0, duplicates: 0, stale: 0 };
  const leases = new Map<string, { ms: number; create: boolean }>();
  for (const { offset, event } of records) {
    if (offset < appliedFrom) {
      outcome.duplicates++;
      continue;
    }
    const goneAt = gone.get(event.gatewayId) ?? null;
    if (goneAt !== null && Date.parse(event.at) <= goneAt) {
      outcome.stale++;
      continue;
    }
    outcome.applied++;
    if (event.type === 'gateway_heartbeat') {
      leases.set(event.gatewayId, { ms: ctx.now + event.leaseMs, create: false });
      continue;
    }
    const { gatewayId, connectionId, userId, at } = event;
    const before = ws.user(userId);
    let transition: Transition;
    switch (event.type) {
      case 'connection_opened':
        transition = openConnection(before, userId, gatewayId, connectionId, at);
        break;
      case 'connection_closed':
        transition = closeConnection(before, gatewayId, connectionId, at, ctx);
        break;
      case 'room_joined':
        transition = joinRoom(before, userId, gatewayId, connectionId, event.roomId, at);
        break;
      case 'room_left':
        transition = leaveRoom(before, gatewayId, connectionId, event.roomId);
        break;
    }
    ws.setUser(userId, transition.user, transition.changes);
    const had = hasConnection(before, gatewayId, connectionId);
    const has = hasConnection(transition.user, gatewayId, connectionId);
    if (!had && has) {
      ws.op('HSET', PresenceKeys.gatewayConns(gatewayId), connectionId, userId);
      if (!leases.has(gatewayId)) leases.set(gatewayId, { ms: ctx.now + ctx.defaultLeaseMs, create: true });
    } else if (had && !has) {
      ws.op('HDEL', PresenceKeys.gatewayConns(gatewayId), connectionId);
    }
  }
  for (const [gatewayId, { ms, create }] of leases) {
    // A heartbeat sets the lease; a connection only creates one for a gateway that has none.
    ws.op('ZADD', PresenceKeys.leases, ...((create ? ['NX'] : []) as string[]), String(ms), gatewayId);
  }
  ws.op('HSET', appliedKey, String(partition), String(Math.max(nextOffset, appliedFrom)));
  return { commit: ws.toCommit(), outcome };
}

/** Why a gateway's connections are dropped. */
export type DropReason =
  | { kind: 'stopped'; at: string }
  /** `leaseUntil`: the raw score of presence:leases the expiry was decided on. */
  | { kind: 'expired'; leaseUntil: string };

/** Up to a chunk of a gateway's connections, read with what the drop decision depends on. */
export interface GatewayChunk {
  conns: [connectionId: string, userId: string][];
  /** HLEN of the gateway's connections when read: the commit requires it unchanged. */
  total: number;
  gone: string | null;
  lease: string | null;
  users: Map<string, string | null>;
}

/**
 * Drops a chunk of a gone gateway's connections: users left without one go offline at once.
 * Marks the gateway gone (so its late connection events are ignored) and, with the last chunk,
 * removes its lease.
 */
export function planDrop(gatewayId: string, chunk: GatewayChunk, reason: DropReason, ctx: PlanContext): { commit: Commit; done: boolean } {
  const ws = new WorkingSet(PresenceKeys.outbox(ctx.group));
  const connsKey = PresenceKeys.gatewayConns(gatewayId);
  const goneKey = PresenceKeys.gatewayGone(gatewayId);
  ws.check(['hlen', connsKey, String(chunk.total)]);
  ws.check(['get', goneKey, chunk.gone]);
  if (reason.kind === 'expired') ws.check(['zscore', PresenceKeys.leases, gatewayId, reason.leaseUntil]);
  const goneMs = reason.kind === 'stopped' ? Date.parse(reason.at) : Number(reason.leaseUntil);
  const lastSeenAt = new Date(goneMs).toISOString();
  ws.op('SET', goneKey, String(Math.max(goneMs, chunk.gone === null ? 0 : Number(chunk.gone))), 'EX', String(GONE_TTL_SECONDS));
  for (const [userId, raw] of chunk.users) ws.addUser(userId, raw);
  for (const [connectionId, userId] of chunk.conns) {
    const transition = dropConnection(ws.user(userId), userId, gatewayId, connectionId, lastSeenAt, ctx);
    ws.setUser(userId, transition.user, transition.changes);
    ws.op('HDEL', connsKey, connectionId);
  }
  const done = chunk.conns.length >= chunk.total;
  if (done) ws.op('ZREM', PresenceKeys.leases, gatewayId);
  return { commit: ws.toCommit(), done };
}

/** Users whose deadline passed `cutoff`: offline, or rooms kept for grace dropped. */
export function planSettle(users: Map<string, string | null>, cutoff: number, ctx: PlanContext): Commit {
  const ws = new WorkingSet(PresenceKeys.outbox(ctx.group));
  for (const [userId, raw] of users) {
    ws.addUser(userId, raw);
    const transition = settle(ws.user(userId), userId, cutoff);
    ws.setUser(userId, transition.user, transition.changes);
    ws.touch(userId);
  }
  return ws.toCommit();
}
