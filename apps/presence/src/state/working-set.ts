import type { PresenceChange } from '@chat/contracts';
import { PresenceKeys } from './keys';
import { dueAt, parseUser, presentRooms, serializeUser, UserPresence } from './user-presence';

/** A precondition of a commit: the value (null = absent) its decisions were computed from. */
export type Check =
  | [kind: 'get', key: string, expected: string | null]
  | [kind: 'hget', key: string, field: string, expected: string | null]
  | [kind: 'zscore', key: string, member: string, expected: string | null]
  | [kind: 'hlen', key: string, expected: string];

/** A Redis command, every argument a string. */
export type Op = [command: string, ...args: string[]];

/** One atomic compare-and-set: all ops apply only if every check still holds. */
export interface Commit {
  checks: Check[];
  ops: Op[];
  /** Also appended to the outbox by `ops`; returned for metrics and tests. */
  changes: PresenceChange[];
}

interface TrackedUser {
  raw: string | null;
  initial: UserPresence | null;
  current: UserPresence | null;
  /** Rewrite the pending deadline even if the state did not change (a stale deadline was due). */
  touched: boolean;
}

/**
 * The users and gateway entries a decision reads, and what it writes. `toCommit` derives the
 * index writes from each user's state before and after: the room online sets (exactly the rooms
 * the user is present in) and the user's deadline in presence:pending.
 */
export class WorkingSet {
  private readonly users = new Map<string, TrackedUser>();
  private readonly checks: Check[] = [];
  private readonly gatewayOps: Op[] = [];
  private readonly changes: PresenceChange[] = [];

  constructor(private readonly outboxKey: string) {}

  /** Registers a user read from Redis (raw JSON or null); the commit requires it unchanged. */
  addUser(userId: string, raw: string | null): void {
    if (this.users.has(userId)) return;
    const user = parseUser(raw);
    this.users.set(userId, { raw, initial: user, current: user, touched: false });
    this.checks.push(['get', PresenceKeys.user(userId), raw]);
  }

  user(userId: string): UserPresence | null {
    const tracked = this.users.get(userId);
    if (!tracked) throw new Error(`user ${userId} was not loaded`);
    return tracked.current;
  }

  setUser(userId: string, user: UserPresence | null, changes: readonly PresenceChange[]): void {
    const tracked = this.users.get(userId);
    if (!tracked) throw new Error(`user ${userId} was not loaded`);
    tracked.current = user;
    this.changes.push(...changes);
  }

  touch(userId: string): void {
    const tracked = this.users.get(userId);
    if (tracked) tracked.touched = true;
  }

  check(check: Check): void {
    this.checks.push(check);
  }

  op(...op: Op): void {
    this.gatewayOps.push(op);
  }

  toCommit(): Commit {
    const ops: Op[] = [];
    for (const [userId, { raw, initial, current, touched }] of this.users) {
      const next = serializeUser(current);
      if (next === raw && !touched) continue;
      const key = PresenceKeys.user(userId);
      if (next !== raw) ops.push(next === null ? ['DEL', key] : ['SET', key, next]);
      const before = presentRooms(initial);
      const after = new Set(presentRooms(current));
      for (const roomId of before) if (!after.has(roomId)) ops.push(['SREM', PresenceKeys.roomOnline(roomId), userId]);
      // All of them, not only the new ones: a set that somehow missed the user heals here.
      for (const roomId of after) ops.push(['SADD', PresenceKeys.roomOnline(roomId), userId]);
      const due = dueAt(current);
      ops.push(due === null ? ['ZREM', PresenceKeys.pending, userId] : ['ZADD', PresenceKeys.pending, String(due), userId]);
    }
    ops.push(...this.gatewayOps);
    for (const change of this.changes) ops.push(['XADD', this.outboxKey, '*', 'v', JSON.stringify(change)]);
    return { checks: this.checks, ops, changes: this.changes };
  }
}
