/** One Redis command of a plan; the apply script runs only these (all arguments strings). */
export type Op =
  | readonly ['HINCRBY', key: string, field: string, by: string]
  | readonly ['PFADD', key: string, ...members: string[]]
  | readonly ['ZINCRBY', key: string, by: string, member: string]
  | readonly ['SADD' | 'SREM', key: string, member: string]
  /** HSET hash field (SCARD set): the size of a set as of this point of the batch. */
  | readonly ['HSETCARD', hash: string, field: string, set: string]
  | readonly ['PEXPIREAT', key: string, atMs: string];

/** Members per PFADD: Lua's unpack() has a stack limit of a few thousand values. */
const PFADD_CHUNK = 500;

function add<K>(map: Map<K, number>, key: K, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function inner<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let found = map.get(key);
  if (found === undefined) {
    found = create();
    map.set(key, found);
  }
  return found;
}

/**
 * Collects a batch's effects so that a thousand messages of one room become one HINCRBY per
 * field, one PFADD and one ZINCRBY; ordered effects (a user going online then offline) keep
 * their order. Each key's expiry is set once, to a time fixed by its bucket, so replaying a
 * batch sets the same expiry.
 */
export class PlanBuilder {
  private readonly increments = new Map<string, Map<string, number>>();
  private readonly hll = new Map<string, Set<string>>();
  private readonly scores = new Map<string, Map<string, number>>();
  private readonly ordered: Op[] = [];
  private readonly expiries = new Map<string, number>();

  hincrby(key: string, field: string, by: number, expireAtMs?: number): void {
    add(inner(this.increments, key, () => new Map()), field, by);
    this.expireAt(key, expireAtMs);
  }

  pfadd(key: string, member: string, expireAtMs?: number): void {
    inner(this.hll, key, () => new Set<string>()).add(member);
    this.expireAt(key, expireAtMs);
  }

  zincrby(key: string, member: string, by: number, expireAtMs?: number): void {
    add(inner(this.scores, key, () => new Map()), member, by);
    this.expireAt(key, expireAtMs);
  }

  /** Runs in order with the other ordered ops, after the aggregated increments. */
  push(op: Op, expireKey?: string, expireAtMs?: number): void {
    this.ordered.push(op);
    if (expireKey !== undefined) this.expireAt(expireKey, expireAtMs);
  }

  build(): Op[] {
    const ops: Op[] = [];
    for (const [key, fields] of this.increments) for (const [field, by] of fields) ops.push(['HINCRBY', key, field, String(by)]);
    for (const [key, members] of this.hll) {
      const all = [...members];
      for (let i = 0; i < all.length; i += PFADD_CHUNK) ops.push(['PFADD', key, ...all.slice(i, i + PFADD_CHUNK)]);
    }
    for (const [key, members] of this.scores) for (const [member, by] of members) ops.push(['ZINCRBY', key, String(by), member]);
    ops.push(...this.ordered);
    for (const [key, at] of this.expiries) ops.push(['PEXPIREAT', key, String(at)]);
    return ops;
  }

  private expireAt(key: string, atMs: number | undefined): void {
    if (atMs !== undefined) this.expiries.set(key, atMs);
  }
}
