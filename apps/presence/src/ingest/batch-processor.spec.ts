import { encodeRecord, PresenceEventsTopic } from '@chat/contracts';
import { ev } from '../testing/events';
import { FakePresenceStore } from '../testing/fake-presence-store';
import { PresenceEngine } from '../state/presence-engine';
import { BatchProcessor } from './batch-processor';
import type { DeadLetterSink } from '@chat/kafka';
import { DeadLetter, SourceRecord } from '@chat/kafka';

class FakeDlq implements DeadLetterSink {
  readonly letters: DeadLetter[] = [];
  failWith?: Error;
  async publish(letters: readonly DeadLetter[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.letters.push(...letters);
  }
}

function raw(value: string | null, offset: number, key: string | null = 'alice'): SourceRecord {
  return {
    key: key === null ? null : Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    offset: String(offset),
    timestamp: '1735732800000',
    headers: { 'trace-id': Buffer.from('t-1') },
  };
}
const encoded = (event: Parameters<typeof encodeRecord<typeof PresenceEventsTopic.schema>>[1], offset: number) => {
  const { key, value } = encodeRecord(PresenceEventsTopic, event);
  return raw(value, offset, key);
};

const from = { topic: PresenceEventsTopic.name, partition: 0, groupId: 'presence' };

describe('BatchProcessor', () => {
  let store: FakePresenceStore;
  let dlq: FakeDlq;
  let processor: BatchProcessor;
  beforeEach(() => {
    store = new FakePresenceStore('g');
    dlq = new FakeDlq();
    processor = new BatchProcessor(new PresenceEngine(store, { group: 'g', graceMs: 1000, defaultLeaseMs: 15_000 }), dlq);
  });

  it('applies valid records and dead-letters the rest, none silently dropped', async () => {
    const conn = { userId: 'alice', connectionId: 'c1' };
    const outcome = await processor.process(from, [
      encoded(ev.opened(conn), 0),
      raw('not json', 1),
      raw(JSON.stringify({ type: 'connection_opened', userId: 'alice' }), 2),
      raw(JSON.stringify(ev.joined(conn, 'lobby')), 3, 'bob'),
      raw(null, 4),
      encoded(ev.joined(conn, 'lobby'), 5),
    ]);
    expect(outcome).toMatchObject({ applied: 2, invalid: 4 });
    expect(outcome.changes.map((c) => c.rooms)).toEqual([[], ['lobby']]);
    expect(dlq.letters.map((l) => [l.source.offset, l.reason])).toEqual([
      ['1', 'invalid'],
      ['2', 'invalid'],
      ['3', 'invalid'],
      ['4', 'invalid'],
    ]);
    expect(dlq.letters[2]?.error).toBe('record key "bob" is not "alice"');
    expect(store.roomOnline('lobby')).toEqual(['alice']);
  });

  it('keys a gateway event by gateway id', async () => {
    const outcome = await processor.process(from, [encoded(ev.heartbeat('gw-1'), 0), raw(JSON.stringify(ev.heartbeat('gw-1')), 1, 'alice')]);
    expect(outcome).toMatchObject({ applied: 1, invalid: 1 });
  });

  it('throws without applying anything when the DLQ is unavailable, so the batch is redelivered', async () => {
    dlq.failWith = new Error('broker down');
    await expect(processor.process(from, [encoded(ev.opened({ userId: 'alice', connectionId: 'c1' }), 0), raw('x', 1)])).rejects.toThrow('broker down');
    expect(store.user('alice')).toBeNull();
  });
});
