import type { Op } from '../aggregate/plan-builder';

/** What a plan's ops do to Redis, in memory (HyperLogLogs as exact sets): for planner specs. */
export class OpsModel {
  readonly hashes = new Map<string, Map<string, number>>();
  readonly sets = new Map<string, Set<string>>();
  readonly zsets = new Map<string, Map<string, number>>();
  readonly expiries = new Map<string, number>();

  apply(ops: readonly Op[]): this {
    for (const op of ops) {
      switch (op[0]) {
        case 'HINCRBY':
          this.bump(this.hashes, op[1], op[2], Number(op[3]));
          break;
        case 'PFADD':
        case 'SADD':
          for (const member of op.slice(2)) this.set(op[1]).add(member);
          break;
        case 'SREM':
          this.set(op[1]).delete(op[2]);
          break;
        case 'ZINCRBY':
          this.bump(this.zsets, op[1], op[3], Number(op[2]));
          break;
        case 'HSETCARD':
          this.hash(this.hashes, op[1]).set(op[2], this.set(op[3]).size);
          break;
        case 'PEXPIREAT':
          // As Redis: an expiry on a key that does not exist (yet) does nothing.
          if (this.hashes.has(op[1]) || this.sets.has(op[1]) || this.zsets.has(op[1])) this.expiries.set(op[1], Number(op[2]));
          break;
      }
    }
    return this;
  }

  field(key: string, field: string): number | undefined {
    return this.hashes.get(key)?.get(field);
  }

  private set(key: string): Set<string> {
    let found = this.sets.get(key);
    if (!found) this.sets.set(key, (found = new Set()));
    return found;
  }

  private hash(store: Map<string, Map<string, number>>, key: string): Map<string, number> {
    let found = store.get(key);
    if (!found) store.set(key, (found = new Map()));
    return found;
  }

  private bump(store: Map<string, Map<string, number>>, key: string, field: string, by: number): void {
    const hash = this.hash(store, key);
    hash.set(field, (hash.get(field) ?? 0) + by);
  }
}
