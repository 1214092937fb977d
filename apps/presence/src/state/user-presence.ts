import type { PresenceChange } from '@chat/contracts';
import { PresenceValues } from './keys';

/**
 * What the service knows of an online user (an offline user has no state at all). Stored as the
 * JSON value of presence:user:{userId}.
 */
export interface UserPresence {
  /** When the user came online: the lastSeenAt of every `online` change about them. */
  onlineAt: string;
  /** Live connections: gatewayId → connectionId → rooms that connection joined, in join order. */
  conns: Record<string, Record<string, string[]>>;
  /**
   * Rooms the user is still present in although no live connection holds them: their connection
   * closed and the reconnect grace (until this epoch ms) has not run out yet.
   */
  linger: Record<string, number>;
  /** While no connection is live: when the last one closed (the offline change's lastSeenAt)… */
  closedAt?: string;
  /** …and when the user goes offline unless a connection opens first (epoch ms). */
  offlineAt?: number;
}

export interface Timing {
  /** Epoch ms of the decision. */
  now: number;
  graceMs: number;
}

/** The user's state after an event, and the changes to publish because of it (in order). */
export interface Transition {
  user: UserPresence | null;
  changes: PresenceChange[];
}

/**
 * The stored state, or null when there is none. A value that is not a UserPresence is treated
 * as none: deciding from it would fail on every event of the user, so it is discarded instead,
 * and the decision's commit replaces it (the user counts as offline until a connection opens).
 */
export function parseUser(raw: string | null): UserPresence | null {
  if (raw === null) return null;
  const decoded = PresenceValues.user.decode(raw);
  return decoded.ok ? decoded.value : null;
}

export function serializeUser(user: UserPresence | null): string | null {
  return user === null ? null : PresenceValues.user.encode(user);
}

function clone(user: UserPresence): UserPresence {
  return JSON.parse(JSON.stringify(user)) as UserPresence;
}

export function hasConnection(user: UserPresence | null, gatewayId: string, connectionId: string): boolean {
  return user?.conns[gatewayId]?.[connectionId] !== undefined;
}

export function connectionCount(user: UserPresence | null): number {
  if (!user) return 0;
  return Object.values(user.conns).reduce((n, byId) => n + Object.keys(byId).length, 0);
}

function heldByConnection(user: UserPresence, roomId: string): boolean {
  return Object.values(user.conns).some((byId) => Object.values(byId).some((rooms) => rooms.includes(roomId)));
}

/** Rooms whose members see the user online: joined by a live connection, or kept for grace. */
export function presentRooms(user: UserPresence | null): string[] {
  if (!user) return [];
  const rooms = new Set<string>();
  for (const byId of Object.values(user.conns)) for (const joined of Object.values(byId)) joined.forEach((r) => rooms.add(r));
  Object.keys(user.linger).forEach((r) => rooms.add(r));
  return [...rooms];
}

/** The user's next deadline (go offline, or stop keeping a room), or null when there is none. */
export function dueAt(user: UserPresence | null): number | null {
  if (!user) return null;
  const deadlines = [...Object.values(user.linger), ...(user.offlineAt === undefined ? [] : [user.offlineAt])];
  return deadlines.length === 0 ? null : Math.min(...deadlines);
}

const iso = (ms: number) => new Date(ms).toISOString();
const online = (userId: string, lastSeenAt: string, rooms: string[]): PresenceChange => ({ userId, status: 'online', lastSeenAt, rooms });
const offline = (userId: string, lastSeenAt: string, rooms: string[]): PresenceChange => ({ userId, status: 'offline', lastSeenAt, rooms });

/**
 * A connection opened. Offline → online publishes `online` with the rooms the user is present in
 * (none for a fresh user). A connection opening within the grace period cancels the pending
 * offline: nothing is published and the rooms kept for grace stay until their own deadline.
 */
export function openConnection(user: UserPresence | null, userId: string, gatewayId: string, connectionId: string, at: string): Transition {
  if (hasConnection(user, gatewayId, connectionId)) return { user, changes: [] };
  if (!user) {
    const fresh: UserPresence = { onlineAt: at, conns: { [gatewayId]: { [connectionId]: [] } }, linger: {} };
    return { user: fresh, changes: [online(userId, at, [])] };
  }
  const next = clone(user);
  (next.conns[gatewayId] ??= {})[connectionId] = [];
  delete next.closedAt;
  delete next.offlineAt;
  return { user: next, changes: [] };
}

/** Removes a connection; its rooms no other live connection holds are kept for the grace period. */
function withoutConnection(user: UserPresence, gatewayId: string, connectionId: string, t: Timing): UserPresence {
  const next = clone(user);
  const rooms = next.conns[gatewayId][connectionId];
  delete next.conns[gatewayId][connectionId];
  if (Object.keys(next.conns[gatewayId]).length === 0) delete next.conns[gatewayId];
  for (const roomId of rooms) {
    if (!heldByConnection(next, roomId)) next.linger[roomId] = Math.max(next.linger[roomId] ?? 0, t.now + t.graceMs);
  }
  return next;
}

/**
 * A connection closed. If it was the user's last, the grace period starts: the user stays online
 * (and present in its rooms) until `offlineAt`, when {@link settle} takes them offline.
 */
export function closeConnection(user: UserPresence | null, gatewayId: string, connectionId: string, at: string, t: Timing): Transition {
  if (!user || !hasConnection(user, gatewayId, connectionId)) return { user, changes: [] };
  const next = withoutConnection(user, gatewayId, connectionId, t);
  if (connectionCount(next) === 0) {
    next.closedAt = at;
    next.offlineAt = t.now + t.graceMs;
  }
  return { user: next, changes: [] };
}

/**
 * A connection joined a room (opening the connection first if its open was never seen). When
 * the user was not present in the room yet, its members learn they are online.
 */
export function joinRoom(user: UserPresence | null, userId: string, gatewayId: string, connectionId: string, roomId: string, at: string): Transition {
  const opened = openConnection(user, userId, gatewayId, connectionId, at);
  const current = opened.user as UserPresence;
  const rooms = current.conns[gatewayId][connectionId];
  if (rooms.includes(roomId)) return opened;
  const wasPresent = presentRooms(current).includes(roomId);
  const next = opened.user === user ? clone(current) : current;
  next.conns[gatewayId][connectionId].push(roomId);
  delete next.linger[roomId];
  const changes = wasPresent ? opened.changes : [...opened.changes, online(userId, next.onlineAt, [roomId])];
  return { user: next, changes };
}

/** A connection left a room: the user stays present only if another live connection holds it. */
export function leaveRoom(user: UserPresence | null, gatewayId: string, connectionId: string, roomId: string): Transition {
  if (!user || !hasConnection(user, gatewayId, connectionId)) return { user, changes: [] };
  const rooms = user.conns[gatewayId][connectionId];
  if (!rooms.includes(roomId)) return { user, changes: [] };
  const next = clone(user);
  next.conns[gatewayId][connectionId] = rooms.filter((r) => r !== roomId);
  return { user: next, changes: [] };
}

/**
 * The connection's gateway stopped or died: the connection is gone at once, and a user left with
 * no live connection goes offline now (no grace: nobody closed anything, the gateway is gone),
 * with every room they were present in.
 */
export function dropConnection(user: UserPresence | null, userId: string, gatewayId: string, connectionId: string, lastSeenAt: string, t: Timing): Transition {
  if (!user || !hasConnection(user, gatewayId, connectionId)) return { user, changes: [] };
  const next = withoutConnection(user, gatewayId, connectionId, t);
  if (connectionCount(next) > 0) return { user: next, changes: [] };
  return { user: null, changes: [offline(userId, lastSeenAt, presentRooms(user))] };
}

/**
 * Deadlines up to `cutoff` have passed: a user still without a connection goes offline (with
 * every room they were present in, lastSeenAt = when the last connection closed), and rooms
 * kept for grace that no connection rejoined are dropped.
 */
export function settle(user: UserPresence | null, userId: string, cutoff: number): Transition {
  if (!user) return { user, changes: [] };
  if (connectionCount(user) === 0 && (user.offlineAt ?? Number.POSITIVE_INFINITY) <= cutoff) {
    return { user: null, changes: [offline(userId, user.closedAt ?? iso(user.offlineAt as number), presentRooms(user))] };
  }
  const expired = Object.entries(user.linger).filter(([, until]) => until <= cutoff);
  if (expired.length === 0) return { user, changes: [] };
  const next = clone(user);
  for (const [roomId] of expired) delete next.linger[roomId];
  return { user: next, changes: [] };
}
