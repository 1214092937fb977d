import { EventRateLimiter, RateBuckets, RateLimits } from './event-rate-limiter';

export interface ConnectionLimits {
  maxConnectionsPerUser: number;
  perConnection: RateLimits;
  perUser: RateLimits;
}

interface UserEntry {
  readonly connections: Set<string>;
  readonly buckets: RateBuckets;
}

/**
 * The users connected to this gateway: caps each user's connections and holds the rate buckets
 * a user's connections share. A user's entry lives while they have a connection here.
 */
export class ConnectionRegistry {
  private readonly users = new Map<string, UserEntry>();
  private readonly userOf = new Map<string, string>();

  constructor(
    private readonly limits: ConnectionLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts the connection in; undefined (and nothing counted) when its user is at the cap. */
  open(userId: string, connectionId: string): EventRateLimiter | undefined {
    const existing = this.users.get(userId);
    if (existing && existing.connections.size >= this.limits.maxConnectionsPerUser) return undefined;
    const entry = existing ?? { connections: new Set<string>(), buckets: new RateBuckets(this.limits.perUser, this.now) };
    this.users.set(userId, entry);
    entry.connections.add(connectionId);
    this.userOf.set(connectionId, userId);
    return new EventRateLimiter(new RateBuckets(this.limits.perConnection, this.now), entry.buckets);
  }

  /** Idempotent: a connection may be reported closed both by Socket.IO and by its transport. */
  close(connectionId: string): void {
    const userId = this.userOf.get(connectionId);
    if (userId === undefined) return;
    this.userOf.delete(connectionId);
    const entry = this.users.get(userId);
    entry?.connections.delete(connectionId);
    if (entry?.connections.size === 0) this.users.delete(userId);
  }

  connectionsOf(userId: string): number {
    return this.users.get(userId)?.connections.size ?? 0;
  }
}
