import type { PresenceChange, PresenceEvent } from '@chat/contracts';
import { ev, iso, T0 } from '../testing/events';
import { FakePresenceStore } from '../testing/fake-presence-store';
import { PresenceKeys } from './keys';
import { PresenceEngine, segments } from './presence-engine';

const GROUP = 'g';

class Harness {
  now = T0;
  readonly store = new FakePresenceStore(GROUP);
  readonly engine = new PresenceEngine(this.store, { group: GROUP, graceMs: 1000, defaultLeaseMs: 15_000, clock: () => this.now });
  readonly published: PresenceChange[] = [];
  private readonly offsets = new Map<number, number>();

  /** Applies events as one batch of `partition`, at the current time. */
  async apply(events: PresenceEvent[], partition = 0) {
    const base = this.offsets.get(partition) ?? 0;
    this.offsets.set(partition, base + events.length);
    return this.replay(events.map((event, i) => ({ offset: base + i, event })), partition);
  }

  async replay(records: { offset: number; event: PresenceEvent }[], partition = 0) {
    const stats = await this.engine.applyRecords(partition, records);
    this.published.push(...stats.changes);
    return stats;
  }

  /** What the leader does at a tick, with everything up to now applied. */
  async tick(at: number) {
    this.now = at;
    const expired = await this.engine.expireGateways(at);
    const settled = await this.engine.settleDue(at);
    this.published.push(...expired.changes, ...settled.changes);
  }

  statuses(userId: string) {
    return this.published.filter((c) => c.userId === userId).map((c) => `${c.status}${c.rooms.length ? ':' + c.rooms.join(',') : ''}`);
  }
}

const c1 = { userId: 'alice', connectionId: 'c1' };
const c2 = { userId: 'alice', connectionId: 'c2', gatewayId: 'gw-2' };

describe('PresenceEngine (fake Redis)', () => {
  let h: Harness;
  beforeEach(() => (h = new Harness()));

  it('online on the first connection, announced to each room, room set kept exact', async () => {
    await h.apply([ev.heartbeat('gw-1'), ev.opened(c1), ev.joined(c1, 'lobby'), ev.joined(c1, 'dev')]);
    expect(h.statuses('alice')).toEqual(['online', 'online:lobby', 'online:dev']);
    expect(h.store.roomOnline('lobby')).toEqual(['alice']);
    await h.apply([ev.left(c1, 'lobby')]);
    expect(h.store.roomOnline('lobby')).toEqual([]);
    expect(h.store.roomOnline('dev')).toEqual(['alice']);
    expect(h.statuses('alice')).toHaveLength(3);
  });

  it('multi-device: closing one of two connections keeps the user online', async () => {
    await h.apply([ev.opened(c1), ev.joined(c1, 'lobby'), ev.opened(c2), ev.closed(c1)]);
    await h.tick(T0 + 5000);
    expect(h.statuses('alice')).toEqual(['online', 'online:lobby']);
    // lobby was only held by c1: kept for the grace, then dropped.
    expect(h.store.roomOnline('lobby')).toEqual([]);
  });

  it('clean close → offline after the grace, with the rooms, then everything is cleaned up', async () => {
    await h.apply([ev.opened(c1), ev.joined(c1, 'lobby')]);
    await h.apply([ev.closed({ ...c1, at: T0 + 10 })]);
    await h.tick(T0 + 999);
    expect(h.statuses('alice')).toEqual(['online', 'online:lobby']);
    expect(h.store.roomOnline('lobby')).toEqual(['alice']);
    await h.tick(T0 + 1000);
    expect(h.published.at(-1)).toEqual({ userId: 'alice', status: 'offline', lastSeenAt: iso(T0 + 10), rooms: ['lobby'] });
    expect(h.store.roomOnline('lobby')).toEqual([]);
    expect(h.store.user('alice')).toBeNull();
    expect(h.store.redis.zset(PresenceKeys.pending).size).toBe(0);
    expect(h.store.redis.hash(PresenceKeys.gatewayConns('gw-1')).size).toBe(0);
  });

  it('a reconnect within the grace period produces no offline/online pair', async () => {
    await h.apply([ev.opened(c1), ev.joined(c1, 'lobby'), ev.closed(c1)]);
    h.now = T0 + 300;
    await h.apply([ev.opened({ ...c1, connectionId: 'c1b' }), ev.joined({ ...c1, connectionId: 'c1b' }, 'lobby')]);
    await h.tick(T0 + 10_000);
    expect(h.statuses('alice')).toEqual(['online', 'online:lobby']);
    expect(h.store.roomOnline('lobby')).toEqual(['alice']);
  });

  it('a gateway whose lease runs out takes its users offline, users elsewhere stay', async () => {
    await h.apply([ev.heartbeat('gw-1', 1000), ev.opened(c1), ev.joined(c1, 'lobby'), ev.opened({ userId: 'bob', connectionId: 'b1', gatewayId: 'gw-2' })]);
    await h.tick(T0 + 999);
    expect(h.statuses('alice')).toEqual(['online', 'online:lobby']);
    await h.tick(T0 + 1000);
    expect(h.published.at(-1)).toEqual({ userId: 'alice', status: 'offline', lastSeenAt: iso(T0 + 1000), rooms: ['lobby'] });
    expect(h.statuses('bob')).toEqual(['online']);
    expect(h.store.roomOnline('lobby')).toEqual([]);
    expect(h.store.redis.zset(PresenceKeys.leases).has('gw-1')).toBe(false);
  });

  it('heartbeats renew the lease; a connection creates a default lease for a gateway that has none', async () => {
    await h.apply([ev.opened(c1)]);
    expect(h.store.redis.zset(PresenceKeys.leases).get('gw-1')).toBe(T0 + 15_000);
    h.now = T0 + 500;
    await h.apply([ev.heartbeat('gw-1', 2000)]);
    expect(h.store.redis.zset(PresenceKeys.leases).get('gw-1')).toBe(T0 + 2500);
    await h.apply([ev.opened({ userId: 'bob', connectionId: 'b1' })]);
    expect(h.store.redis.zset(PresenceKeys.leases).get('gw-1')).toBe(T0 + 2500);
  });

  it('gateway_stopped drops its connections at once and ignores its late connection events', async () => {
    await h.apply([ev.opened(c1), ev.joined(c1, 'lobby'), ev.opened(c2)], 0);
    await h.apply([ev.opened({ userId: 'bob', connectionId: 'b1' })], 1);
    await h.apply([ev.stopped('gw-1', T0 + 50)], 2);
    expect(h.statuses('bob')).toEqual(['online', 'offline']);
    expect(h.published.at(-1)).toEqual({ userId: 'bob', status: 'offline', lastSeenAt: iso(T0 + 50), rooms: [] });
    expect(h.statuses('alice')).toEqual(['online', 'online:lobby']);
    // Another partition delivers an open gw-1 stamped before it stopped: stale, ignored.
    const late = await h.apply([ev.opened({ userId: 'carol', connectionId: 'x1', at: T0 + 40 })], 3);
    expect(late.stale).toBe(1);
    expect(h.statuses('carol')).toEqual([]);
  });

  it('a redelivered batch is skipped by offset: no duplicate changes', async () => {
    const records = [ev.opened(c1), ev.joined(c1, 'lobby'), ev.closed(c1)].map((event, offset) => ({ offset, event }));
    await h.replay(records);
    await h.tick(T0 + 2000);
    const again = await h.replay(records);
    expect(again.duplicates).toBe(3);
    expect(h.statuses('alice')).toEqual(['online', 'online:lobby', 'offline:lobby']);
  });

  it('re-reads and decides again when a concurrent commit changed what it read', async () => {
    await h.apply([ev.opened(c1)]);
    let raced = false;
    h.store.beforeCommit = () => {
      if (raced) return;
      raced = true;
      // The sweeper drops alice's gateway between the read and the commit.
      h.store.redis.run(['SET', PresenceKeys.gatewayGone('gw-1'), String(T0 + 100)]);
      h.store.redis.run(['DEL', PresenceKeys.user('alice')]);
    };
    const stats = await h.apply([ev.joined({ ...c1, at: T0 + 50 }, 'lobby')]);
    expect(stats).toMatchObject({ conflicts: 1, stale: 1 });
    expect(h.store.roomOnline('lobby')).toEqual([]);
  });

  it('keeps every change of a transition in the outbox, in order', async () => {
    await h.apply([ev.opened(c1), ev.joined(c1, 'lobby'), ev.closed(c1)]);
    await h.tick(T0 + 1000);
    const outbox = (await h.store.readOutbox(10)).map((e) => JSON.parse(e.value).status);
    expect(outbox).toEqual(['online', 'online', 'offline']);
  });
});

describe('segments', () => {
  it('splits runs of ordinary events around each gateway_stopped', () => {
    const records = [ev.opened(c1), ev.stopped('gw-1'), ev.closed(c1), ev.heartbeat('gw-2')].map((event, offset) => ({ offset, event }));
    expect(segments(records).map((s) => (s.kind === 'stopped' ? 'stopped' : s.records.length))).toEqual([1, 'stopped', 2]);
  });
});
