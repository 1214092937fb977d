import { rawRecord, receiptSignal, signalRecord, typingSignal } from '../testing/fixtures';
import type { DeadLetterSink } from '@chat/kafka';
import type { ReadPosition } from '../storage/read-position.repository';
import { collapseReceipts, ReadPositionStore, ReceiptProcessor, splitSignals } from './receipt-processor';
import type { BatchSource, DeadLetter } from '@chat/kafka';

/** Mimics the upsert: one row per (room, user), only ever moving forward; refuses a batch that repeats a key. */
class FakeStore implements ReadPositionStore {
  readonly rows = new Map<string, number>();
  readonly calls: ReadPosition[][] = [];
  failWith?: Error;

  async advance(positions: readonly ReadPosition[]): Promise<number> {
    if (this.failWith) throw this.failWith;
    this.calls.push([...positions]);
    const keys = positions.map((p) => `${p.roomId}/${p.userId}`);
    if (new Set(keys).size !== keys.length) throw new Error('ON CONFLICT DO UPDATE command cannot affect row a second time');
    let changed = 0;
    for (const p of positions) {
      const key = `${p.roomId}/${p.userId}`;
      const stored = this.rows.get(key);
      if (stored === undefined || p.offset > stored) {
        this.rows.set(key, p.offset);
        changed++;
      }
    }
    return changed;
  }
}

class FakeDlq implements DeadLetterSink {
  readonly letters: [DeadLetter, BatchSource][] = [];
  async publish(letters: readonly DeadLetter[], from: BatchSource): Promise<void> {
    this.letters.push(...letters.map((letter): [DeadLetter, BatchSource] => [letter, from]));
  }
}

const from: BatchSource = { topic: 'chat.signals.v1', partition: 2, groupId: 'message-persister-receipts' };

describe('collapseReceipts', () => {
  it('keeps the furthest offset per (room, user), whatever order they arrive in', () => {
    const collapsed = collapseReceipts([
      { roomId: 'lobby', userId: 'bob', offset: 3 },
      { roomId: 'lobby', userId: 'alice', offset: 10 },
      { roomId: 'lobby', userId: 'alice', offset: 5 },
      { roomId: 'lobby', userId: 'bob', offset: 7 },
      { roomId: 'lobby', userId: 'alice', offset: 10 },
      { roomId: 'dm:alice:bob', userId: 'alice', offset: 1 },
    ]);
    expect(collapsed).toEqual([
      { roomId: 'dm:alice:bob', userId: 'alice', offset: 1 },
      { roomId: 'lobby', userId: 'alice', offset: 10 },
      { roomId: 'lobby', userId: 'bob', offset: 7 },
    ]);
  });

  it('sorts by room then user (code unit order), so every batch locks rows in the same order', () => {
    const keys = collapseReceipts([
      { roomId: 'b', userId: 'a', offset: 0 },
      { roomId: 'a', userId: 'b', offset: 0 },
      { roomId: 'a', userId: 'B', offset: 0 },
      { roomId: 'a', userId: 'a', offset: 0 },
    ]).map((p) => `${p.roomId}/${p.userId}`);
    expect(keys).toEqual(['a/B', 'a/a', 'a/b', 'b/a']);
  });

  it('does not mix up ids that only differ in where the room ends and the user begins', () => {
    const collapsed = collapseReceipts([
      { roomId: 'dm:a:b', userId: 'c', offset: 1 },
      { roomId: 'dm:a', userId: 'b:c', offset: 2 },
    ]);
    expect(collapsed).toHaveLength(2);
  });

  it('returns nothing for no receipts', () => {
    expect(collapseReceipts([])).toEqual([]);
  });
});

describe('splitSignals', () => {
  it('takes receipts, counts typing and reports what breaks the contract', () => {
    const split = splitSignals([
      signalRecord(receiptSignal('lobby', 'alice', 4), 0),
      signalRecord(typingSignal('lobby', 'bob'), 1),
      rawRecord('not json', 2),
      rawRecord(JSON.stringify({ ...receiptSignal('lobby', 'alice', 1), offset: -1 }), 3),
      rawRecord(JSON.stringify({ ...receiptSignal('lobby', 'alice', 1), type: 'seen' }), 4),
      rawRecord(null, 5),
    ]);
    expect(split.receipts).toEqual([{ roomId: 'lobby', userId: 'alice', offset: 4 }]);
    expect(split.typing).toBe(1);
    expect(split.invalid.map((l) => [l.source.offset, l.reason])).toEqual([
      ['2', 'invalid'],
      ['3', 'invalid'],
      ['4', 'invalid'],
      ['5', 'invalid'],
    ]);
    expect(split.invalid[1]?.error).toMatch(/offset/);
  });
});

describe('ReceiptProcessor', () => {
  let store: FakeStore;
  let dlq: FakeDlq;
  let processor: ReceiptProcessor;

  beforeEach(() => {
    store = new FakeStore();
    dlq = new FakeDlq();
    processor = new ReceiptProcessor(store, dlq);
  });

  it('writes one collapsed upsert per batch, ignores typing and dead-letters invalid records', async () => {
    const outcome = await processor.process(from, [
      signalRecord(receiptSignal('lobby', 'alice', 10), 100),
      signalRecord(typingSignal('lobby', 'alice'), 101),
      signalRecord(receiptSignal('lobby', 'alice', 5), 102),
      signalRecord(receiptSignal('lobby', 'bob', 2), 103),
      rawRecord('{nope', 104),
    ]);
    expect(outcome).toEqual({ receipts: 3, positions: 2, advanced: 2, typing: 1, invalid: 1 });
    expect(store.calls).toEqual([
      [
        { roomId: 'lobby', userId: 'alice', offset: 10 },
        { roomId: 'lobby', userId: 'bob', offset: 2 },
      ],
    ]);
    expect(dlq.letters.map(([letter, source]) => [letter.source.offset, letter.reason, source])).toEqual([['104', 'invalid', from]]);
  });

  it('never moves a position back across batches, and a redelivered batch changes nothing', async () => {
    const batch = [signalRecord(receiptSignal('lobby', 'alice', 10), 1)];
    await processor.process(from, batch);
    expect(await processor.process(from, [signalRecord(receiptSignal('lobby', 'alice', 5), 2)])).toMatchObject({ advanced: 0 });
    expect(await processor.process(from, batch)).toMatchObject({ advanced: 0 });
    expect(store.rows.get('lobby/alice')).toBe(10);
  });

  it('does not touch the store for a batch without receipts', async () => {
    const outcome = await processor.process(from, [signalRecord(typingSignal('lobby', 'bob', false), 7)]);
    expect(outcome).toEqual({ receipts: 0, positions: 0, advanced: 0, typing: 1, invalid: 0 });
    expect(store.calls).toEqual([]);
  });

  it('throws when PostgreSQL fails, before dead-lettering, so the whole batch is redelivered', async () => {
    store.failWith = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    await expect(
      processor.process(from, [signalRecord(receiptSignal('lobby', 'alice', 1), 1), rawRecord('bad', 2)]),
    ).rejects.toThrow(/ECONNREFUSED/);
    expect(dlq.letters).toEqual([]);
  });
});
