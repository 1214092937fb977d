import type { Producer, ProducerRecord } from 'kafkajs';
import pino from 'pino';
import { Registry } from '@chat/metrics';
import type { PresenceConfig } from '../config/presence.config';
import { PresenceMetrics } from '../health/presence-metrics';
import { PresenceEngine } from '../state/presence-engine';
import { ev, T0 } from '../testing/events';
import { FakePresenceStore } from '../testing/fake-presence-store';
import { ChangePublisher } from './change-publisher';
import { PresenceLeader } from './presence.leader';

const GROUP = 'g';
const config = { PRESENCE_TICK_MS: 200, PRESENCE_EVENT_SLACK_MS: 150 } as PresenceConfig;

function setup(instanceId = 'p-1', store = new FakePresenceStore(GROUP)) {
  const sent: ProducerRecord[] = [];
  const producer = { send: jest.fn(async (record: ProducerRecord) => void sent.push(record)) } as unknown as Producer;
  const metrics = new PresenceMetrics(new Registry());
  const logger = pino({ level: 'silent' });
  const engine = new PresenceEngine(store, { group: GROUP, graceMs: 1000, defaultLeaseMs: 15_000, clock: () => T0 });
  const leader = new PresenceLeader(store, instanceId, config, engine, new ChangePublisher(producer, store, metrics, logger), metrics, logger);
  const published = () => sent.flatMap((r) => r.messages.map((m) => JSON.parse(String(m.value)).status as string));
  return { store, engine, leader, sent, published };
}

describe('PresenceLeader', () => {
  it('acts on a deadline only once every partition has applied past it (plus slack)', async () => {
    const { store, engine, leader, published } = setup();
    leader.start(2);
    await leader.stop(); // only to set the partition count; ticks are driven by hand below
    const conn = { userId: 'alice', connectionId: 'c1' };
    await engine.applyRecords(0, [ev.opened(conn), ev.closed(conn)].map((event, offset) => ({ offset, event })));

    await leader.tick(T0 + 5000);
    expect(published()).toEqual(['online']); // no progress reported yet: nothing is due

    await store.reportCaughtUp([0], T0 + 5000);
    await leader.tick(T0 + 5000);
    expect(published()).toEqual(['online']); // partition 1 has not reported

    await store.reportCaughtUp([1], T0 + 1100);
    await leader.tick(T0 + 5000);
    expect(published()).toEqual(['online']); // grace ends at T0+1000, +150 slack > T0+1100

    await store.reportCaughtUp([1], T0 + 1150);
    await leader.tick(T0 + 5000);
    expect(published()).toEqual(['online', 'offline']);
    expect(await store.outboxLength()).toBe(0);
  });

  it('only the lock holder sweeps and publishes', async () => {
    const store = new FakePresenceStore(GROUP);
    const first = setup('p-1', store);
    const second = setup('p-2', store);
    await first.engine.applyRecords(0, [{ offset: 0, event: ev.opened({ userId: 'alice', connectionId: 'c1' }) }]);
    await first.leader.tick(T0);
    await second.leader.tick(T0);
    expect(first.published()).toEqual(['online']);
    expect(second.sent).toEqual([]);
    await first.leader.stop();
    await second.leader.tick(T0);
    expect(store.leader).toBe('p-2');
  });
});
