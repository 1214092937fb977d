import type { Producer, ProducerRecord } from 'kafkajs';
import pino from 'pino';
import { Registry } from '@chat/metrics';
import { PresenceMetrics } from '../health/presence-metrics';
import type { OutboxEntry, PresenceStore } from '../state/presence-store';
import { iso, T0 } from '../testing/events';
import { ChangePublisher } from './change-publisher';

const change = (userId: string) => JSON.stringify({ userId, status: 'online', lastSeenAt: iso(T0), rooms: ['lobby'] });

/** The outbox part of a PresenceStore (unit test), and a producer whose sends finish when told. */
function setup() {
  let outbox: OutboxEntry[] = [];
  let next = 0;
  const store = {
    readOutbox: async (limit: number) => outbox.slice(0, limit),
    deleteOutbox: async (ids: readonly string[]) => void (outbox = outbox.filter((e) => !ids.includes(e.id))),
  } as unknown as PresenceStore;
  const sent: ProducerRecord[] = [];
  const gates: Array<() => void> = [];
  let failing = false;
  const producer = {
    send: (record: ProducerRecord) => {
      sent.push(record);
      if (failing) return Promise.reject(new Error('broker down'));
      return new Promise((resolve) => gates.push(() => resolve([])));
    },
  } as unknown as Producer;
  const publisher = new ChangePublisher(producer, store, new PresenceMetrics(new Registry()), pino({ level: 'silent' }));
  return {
    publisher,
    sent,
    add: (value: string) => outbox.push({ id: `${++next}-0`, value }),
    outbox: () => outbox,
    release: async () => {
      while (gates.length > 0) gates.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    },
    fail: () => (failing = true),
  };
}

const users = (record: ProducerRecord | undefined) => record?.messages.map((m) => [m.key, JSON.parse(String(m.value)).userId]);

describe('ChangePublisher', () => {
  it('produces the outbox in order, keyed by user, then deletes it; a drain asked for meanwhile runs after', async () => {
    const t = setup();
    t.add(change('alice'));
    t.add(change('bob'));
    const first = t.publisher.drain();
    await new Promise((resolve) => setImmediate(resolve));
    t.add(change('carol'));
    const second = t.publisher.drain();
    const third = t.publisher.drain();
    await t.release();
    await t.release();
    await Promise.all([first, second, third]);
    expect(t.sent.map(users)).toEqual([
      [
        ['alice', 'alice'],
        ['bob', 'bob'],
      ],
      [['carol', 'carol']],
    ]);
    expect(t.sent[0]?.acks).toBe(-1);
    expect(t.outbox()).toEqual([]);
  });

  it('drops an entry that breaks the contract and produces the others', async () => {
    const t = setup();
    t.add('{oops');
    t.add(change('alice'));
    const drained = t.publisher.drain();
    await new Promise((resolve) => setImmediate(resolve));
    await t.release();
    await drained;
    expect(t.sent.map(users)).toEqual([[['alice', 'alice']]]);
    expect(t.outbox()).toEqual([]);
  });

  it('keeps the outbox when Kafka refuses, and says so to whoever asked', async () => {
    const t = setup();
    t.add(change('alice'));
    t.fail();
    await expect(t.publisher.drain()).rejects.toThrow('broker down');
    expect(t.outbox()).toHaveLength(1);
  });
});
