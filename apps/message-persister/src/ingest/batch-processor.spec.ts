import type { Message } from '@chat/contracts';
import { chatRecord, rawRecord, sourceRecord } from '../testing/fixtures';
import type { InsertResult } from '../storage/message.repository';
import { BatchProcessor, isRowError, MessageStore, RecentCache } from './batch-processor';
import type { DeadLetterSink } from '@chat/kafka';
import type { DeadLetter } from '@chat/kafka';

/** Mimics the repository: dedupes on messageId and (room, sender, clientMsgId), returns stored rows. */
class FakeStore implements MessageStore {
  readonly rows = new Map<string, Message>();
  failWith?: Error;
  refuse: (m: Message) => Error | null = () => null;

  async insertBatch(messages: readonly Message[]): Promise<InsertResult> {
    if (this.failWith) throw this.failWith;
    const refused = messages.map(this.refuse).find((e) => e !== null);
    if (refused) throw refused;
    let inserted = 0;
    for (const m of messages) {
      const clash = [...this.rows.values()].some(
        (r) => r.messageId === m.messageId || (r.roomId === m.roomId && r.senderId === m.senderId && r.clientMsgId === m.clientMsgId),
      );
      if (!clash) {
        this.rows.set(m.messageId, m);
        inserted++;
      }
    }
    const stored = messages.map((m) => this.rows.get(m.messageId)).filter((m): m is Message => m !== undefined);
    return { inserted, stored: [...new Map(stored.map((m) => [m.messageId, m])).values()] };
  }
}

class FakeCache implements RecentCache {
  readonly added: Message[][] = [];
  failWith?: Error;
  async add(messages: readonly Message[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.added.push([...messages]);
  }
}

class FakeDlq implements DeadLetterSink {
  readonly letters: DeadLetter[] = [];
  async publish(letters: readonly DeadLetter[]): Promise<void> {
    this.letters.push(...letters);
  }
}

const from = { topic: 'chat.messages.v1', partition: 0, groupId: 'message-persister' };

describe('BatchProcessor', () => {
  let store: FakeStore;
  let cache: FakeCache;
  let dlq: FakeDlq;
  let processor: BatchProcessor;

  beforeEach(() => {
    store = new FakeStore();
    cache = new FakeCache();
    dlq = new FakeDlq();
    processor = new BatchProcessor(store, cache, dlq);
  });

  it('stores valid records, dead-letters invalid ones and caches only the canonical stored rows', async () => {
    const first = chatRecord({ messageId: 'm1', clientMsgId: 'c1' });
    const retried = chatRecord({ messageId: 'm2', clientMsgId: 'c1' });
    const outcome = await processor.process(from, [
      sourceRecord(first, 10),
      rawRecord('garbage', 11),
      sourceRecord(retried, 12),
      sourceRecord(first, 13),
    ]);
    expect(outcome).toEqual({ inserted: 1, duplicates: 2, invalid: 1, rejected: 0 });
    expect(dlq.letters.map((l) => [l.source.offset, l.reason])).toEqual([['11', 'invalid']]);
    expect(cache.added).toEqual([[{ ...first, offset: 10 }]]);
  });

  it('is idempotent when a batch is redelivered', async () => {
    const batch = [sourceRecord(chatRecord({ messageId: 'x' }), 1)];
    await processor.process(from, batch);
    const again = await processor.process(from, batch);
    expect(again).toEqual({ inserted: 0, duplicates: 1, invalid: 0, rejected: 0 });
    expect(cache.added[1]).toEqual(cache.added[0]);
  });

  it('throws when PostgreSQL is unavailable, before touching the cache', async () => {
    store.failWith = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    await expect(processor.process(from, [sourceRecord(chatRecord(), 1)])).rejects.toThrow(/ECONNREFUSED/);
    expect(cache.added).toEqual([]);
  });

  it('throws when Redis fails, so the batch is retried, without dead-lettering anything yet', async () => {
    cache.failWith = new Error('Redis recent-history update failed');
    await expect(processor.process(from, [sourceRecord(chatRecord(), 1), rawRecord('garbage', 2)])).rejects.toThrow(/Redis/);
    // Each retry would otherwise dead-letter the invalid record once more.
    expect(dlq.letters).toEqual([]);
  });

  it('dead-letters only the rows PostgreSQL refuses and stores the rest', async () => {
    const bad = chatRecord({ messageId: 'bad' });
    const good = chatRecord({ messageId: 'good' });
    store.refuse = (m) => (m.messageId === 'bad' ? Object.assign(new Error('date/time field value out of range'), { code: '22008' }) : null);
    const outcome = await processor.process(from, [sourceRecord(bad, 1), sourceRecord(good, 2)]);
    expect(outcome).toEqual({ inserted: 1, duplicates: 0, invalid: 0, rejected: 1 });
    expect(dlq.letters.map((l) => [l.source.offset, l.reason, l.error])).toEqual([
      ['1', 'rejected', 'rejected by PostgreSQL: date/time field value out of range'],
    ]);
    expect(cache.added).toEqual([[{ ...good, offset: 2 }]]);
  });
});

describe('isRowError', () => {
  it('blames the row for data and integrity errors only', () => {
    expect(isRowError({ code: '22021' })).toBe(true);
    expect(isRowError({ code: '23514' })).toBe(true);
    expect(isRowError({ code: '57P01' })).toBe(false);
    expect(isRowError({ code: 'ECONNREFUSED' })).toBe(false);
    expect(isRowError(new Error('timeout'))).toBe(false);
  });
});
