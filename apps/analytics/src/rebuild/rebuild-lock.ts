import { randomUUID } from 'node:crypto';
import type { Redis } from '@chat/redis';

/** Long enough to ride out a slow batch; a rebuild that dies frees the live service within it. */
const LOCK_TTL_MS = 30_000;
const REFRESH_EVERY_MS = LOCK_TTL_MS / 3;

const REFRESH = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** The rebuild will not start (another one runs, or the arguments are wrong): nothing was changed. */
export class RebuildRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RebuildRefusedError';
  }
}

/**
 * The rebuild's claim on the aggregates (AnalyticsKeys.rebuildLock): while it exists the apply
 * script writes only for the token it holds, so the live service counts nothing meanwhile.
 * Refreshed while held; a lock found taken over or expired makes the rebuild stop.
 */
export class RebuildLock {
  private lost = false;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly redis: Redis,
    private readonly key: string,
    readonly token: string,
  ) {
    this.timer = setInterval(() => void this.refresh(), REFRESH_EVERY_MS);
    this.timer.unref();
  }

  static async acquire(redis: Redis, key: string): Promise<RebuildLock> {
    const token = randomUUID();
    if ((await redis.set(key, token, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') {
      throw new RebuildRefusedError(`another rebuild is running (${key} is held; it expires ${LOCK_TTL_MS / 1000} s after that rebuild stops)`);
    }
    return new RebuildLock(redis, key, token);
  }

  /** Throws once the lock was lost: the rebuild must not go on writing as if it held it. */
  assertHeld(): void {
    if (this.lost) throw new Error(`the rebuild lost ${this.key} (expired or taken over); run the rebuild again`);
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }

  private async refresh(): Promise<void> {
    try {
      if ((await this.redis.eval(REFRESH, 1, this.key, this.token, String(LOCK_TTL_MS))) !== 1) this.lost = true;
    } catch {
      // Redis away for a moment: the next refresh tries again; the lock lasts LOCK_TTL_MS.
    }
  }
}
