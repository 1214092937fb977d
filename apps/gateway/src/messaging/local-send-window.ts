import type { SendClaim, SendDraft } from './send-dedupe.store';
import type { Message } from '@chat/contracts';

interface Entry {
  draft: SendDraft;
  message?: Message;
  expiresAt: number;
}

/**
 * This gateway's own memory of the sends it claimed while Redis could not be reached: a retry
 * on the same socket (the usual case during a Redis outage) gets the first attempt's message.
 * Bounded in count and age, oldest dropped first; beyond it, the persister's unique
 * (room, sender, clientMsgId) still keeps one stored message per clientMsgId (ADR 0011).
 */
export class LocalSendWindow {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** What this gateway knows of `key`, if it claimed it here and not too long ago. */
  find(key: string): SendClaim | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.message ? { kind: 'done', message: entry.message } : { kind: 'retry', draft: entry.draft };
  }

  claim(key: string, draft: SendDraft): SendClaim {
    const known = this.find(key);
    if (known) return known;
    this.evict();
    this.entries.set(key, { draft, expiresAt: this.now() + this.ttlMs });
    return { kind: 'first', draft };
  }

  /** Records the published message, for keys claimed here only. */
  complete(key: string, message: Message): void {
    const entry = this.entries.get(key);
    if (entry) entry.message = message;
  }

  private evict(): void {
    const now = this.now();
    // Map iteration is insertion order, i.e. oldest first, and every entry has the same TTL.
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now && this.entries.size < this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}
