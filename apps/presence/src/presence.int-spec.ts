import type { Producer } from 'kafkajs';
import { dlqName, PresenceChange, PresenceChangesTopic, PresenceEvent, PresenceEventsTopic, RedisKeys } from '@chat/contracts';
import { PresenceKeys } from './state/keys';
import { ev } from './testing/events';
import { eventually, RUN, sleep, testConfig, testKafka, testRedis } from './testing/infra';
import { RunningPresence, startPresence } from './testing/presence-app';
import { deleteGroups, produce, ReadRecord, TopicReader } from '@chat/kafka';

/** What was measured, printed at the end (the report quotes it). */
const measured: Record<string, number> = {};

describe('presence service (real Kafka and Redis)', () => {
  const config = testConfig();
  const kafka = testKafka(config);
  const redis = testRedis(config);
  let presence: RunningPresence | undefined;
  let producer: Producer;
  let changes: TopicReader;
  let dlq: TopicReader;
  const gateways = new Set<string>();

  const userId = (label: string) => `it-${RUN}-${label}`;
  const roomId = (label: string) => `it-${RUN}-${label}`;
  const gatewayId = (label: string) => {
    const id = `it-gw-${RUN}-${label}`;
    gateways.add(id);
    return id;
  };
  const conn = (user: string, gateway: string, connectionId: string) => ({ userId: user, gatewayId: gateway, connectionId });

  async function send(...events: PresenceEvent[]): Promise<{ partition: number; baseOffset: number }> {
    const [meta] = await produce(producer, PresenceEventsTopic, events, { acks: -1 });
    if (!meta) throw new Error('the producer acknowledged no partition');
    return { partition: meta.partition, baseOffset: Number(meta.baseOffset) };
  }
  const now = () => Date.now();
  const parse = (r: ReadRecord) => JSON.parse(String(r.message.value)) as PresenceChange;
  const changesOf = (user: string) => changes.records.map(parse).filter((c) => c.userId === user);
  const statusesOf = (user: string) => changesOf(user).map((c) => `${c.status}${c.rooms.length > 0 ? ':' + c.rooms.join(',') : ''}`);
  async function waitChange(user: string, match: (c: PresenceChange) => boolean, timeoutMs = 20_000): Promise<PresenceChange & { receivedAt: number }> {
    const record = await changes.waitFor((r) => {
      const change = parse(r);
      return change.userId === user && match(change);
    }, timeoutMs);
    return { ...parse(record), receivedAt: record.receivedAt };
  }
  const online = async (room: string) => (await redis.smembers(RedisKeys.presenceRoomOnline(room))).sort();

  beforeAll(async () => {
    producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
    presence = await startPresence(config);
    await producer.connect();
    changes = await new TopicReader(kafka, PresenceChangesTopic.name).start();
    dlq = await new TopicReader(kafka, dlqName(PresenceEventsTopic)).start();
  });

  afterAll(async () => {
    // Close every connection the tests opened: each test gateway says it stopped.
    if (producer && gateways.size > 0) {
      await send(...[...gateways].map((g) => ev.stopped(g, now())));
      await eventually(
        () => Promise.all([...gateways].map((g) => redis.hlen(PresenceKeys.gatewayConns(g)))),
        (lengths) => lengths.every((n) => n === 0),
        15_000,
      ).catch(() => undefined);
    }
    await presence?.close();
    await producer?.disconnect();
    await changes?.stop();
    await dlq?.stop();
    const group = config.PRESENCE_GROUP_ID;
    await redis.del(PresenceKeys.applied(group), PresenceKeys.caughtUp(group), PresenceKeys.outbox(group), PresenceKeys.leader(group));
    await redis.quit();
    await deleteGroups(kafka, [group]).catch(() => undefined);
    process.stdout.write(`\npresence measurements (ms): ${JSON.stringify(measured)}\n`);
  });

  it('online on the first connection, announced to each room it joins; room_left leaves the online set', async () => {
    const [alice, bob] = [userId('first-a'), userId('first-b')];
    const gw = gatewayId('first');
    const lobby = roomId('first-lobby');
    const a1 = conn(alice, gw, 'a1');
    const openedAt = now();
    await send(ev.opened({ ...a1, at: openedAt }));
    const first = await waitChange(alice, (c) => c.status === 'online');
    expect(first).toMatchObject({ status: 'online', lastSeenAt: new Date(openedAt).toISOString(), rooms: [] });

    await send(ev.joined({ ...a1, at: now() }, lobby));
    await waitChange(alice, (c) => c.rooms.includes(lobby));
    expect(await online(lobby)).toEqual([alice]);

    const b1 = conn(bob, gw, 'b1');
    await send(ev.opened({ ...b1, at: now() }), ev.joined({ ...b1, at: now() }, lobby));
    await eventually(() => online(lobby), (members) => members.length === 2);
    expect(await online(lobby)).toEqual([alice, bob].sort());

    // Joining again (another connection of alice in the same room) is no news.
    const a2 = conn(alice, gw, 'a2');
    await send(ev.opened({ ...a2, at: now() }), ev.joined({ ...a2, at: now() }, lobby), ev.left({ ...a1, at: now() }, lobby));
    await send(ev.left({ ...a2, at: now() }, lobby));
    await eventually(() => online(lobby), (members) => members.length === 1);
    expect(await online(lobby)).toEqual([bob]);
    expect(statusesOf(alice)).toEqual(['online', `online:${lobby}`]);

    await send(ev.closed({ ...a1, at: now() }), ev.closed({ ...a2, at: now() }));
    await send(ev.closed({ ...b1, at: now() }));
    await waitChange(alice, (c) => c.status === 'offline');
    await waitChange(bob, (c) => c.status === 'offline');
    expect(await online(lobby)).toEqual([]);
  });

  it('multi-device: closing one of two connections keeps the user online; closing the last makes them offline within 2 s', async () => {
    const alice = userId('multi');
    const [gw1, gw2] = [gatewayId('multi-1'), gatewayId('multi-2')];
    const lobby = roomId('multi-lobby');
    const phone = conn(alice, gw1, 'phone');
    const laptop = conn(alice, gw2, 'laptop');
    await send(ev.opened({ ...phone, at: now() }), ev.joined({ ...phone, at: now() }, lobby));
    await send(ev.opened({ ...laptop, at: now() }), ev.joined({ ...laptop, at: now() }, lobby));
    await waitChange(alice, (c) => c.rooms.includes(lobby));

    await send(ev.closed({ ...phone, at: now() }));
    await sleep(2500);
    expect(statusesOf(alice)).toEqual(['online', `online:${lobby}`]);
    expect(await online(lobby)).toEqual([alice]);

    const closedAt = now();
    await send(ev.closed({ ...laptop, at: closedAt }));
    const offline = await waitChange(alice, (c) => c.status === 'offline', 10_000);
    const latency = offline.receivedAt - closedAt;
    measured['cleanCloseOffline'] = latency;
    expect(offline).toMatchObject({ lastSeenAt: new Date(closedAt).toISOString(), rooms: [lobby] });
    // The contract says 2 s; slack for a loaded 2-core machine.
    expect(latency).toBeLessThanOrEqual(2500);
    expect(await online(lobby)).toEqual([]);
    expect(await redis.exists(PresenceKeys.user(alice))).toBe(0);
    expect(await redis.zscore(PresenceKeys.pending, alice)).toBeNull();
  });

  it('a reconnect within the grace period produces no offline/online pair and keeps the room presence', async () => {
    const alice = userId('refresh');
    const gw = gatewayId('refresh');
    const lobby = roomId('refresh-lobby');
    const before = conn(alice, gw, 'tab-1');
    const after = conn(alice, gw, 'tab-2');
    await send(ev.opened({ ...before, at: now() }), ev.joined({ ...before, at: now() }, lobby));
    await waitChange(alice, (c) => c.rooms.includes(lobby));

    await send(ev.closed({ ...before, at: now() }));
    await sleep(300);
    expect(await online(lobby)).toEqual([alice]);
    await send(ev.opened({ ...after, at: now() }), ev.joined({ ...after, at: now() }, lobby));
    await sleep(2500);
    expect(statusesOf(alice)).toEqual(['online', `online:${lobby}`]);
    expect(await online(lobby)).toEqual([alice]);

    await send(ev.closed({ ...after, at: now() }));
    await waitChange(alice, (c) => c.status === 'offline');
    expect(statusesOf(alice)).toEqual(['online', `online:${lobby}`, `offline:${lobby}`]);
  });

  it('a gateway whose lease runs out (died without a word) has its users marked offline', async () => {
    const [alice, bob] = [userId('lease-a'), userId('lease-b')];
    const dying = gatewayId('lease-dying');
    const healthy = gatewayId('lease-healthy');
    const lobby = roomId('lease-lobby');
    await send(ev.heartbeat(dying, 1000, now()));
    await send(ev.heartbeat(healthy, 15_000, now()));
    const a1 = conn(alice, dying, 'a1');
    await send(ev.opened({ ...a1, at: now() }), ev.joined({ ...a1, at: now() }, lobby));
    const b1 = conn(bob, healthy, 'b1');
    await send(ev.opened({ ...b1, at: now() }), ev.joined({ ...b1, at: now() }, lobby));
    await waitChange(alice, (c) => c.rooms.includes(lobby));
    await waitChange(bob, (c) => c.rooms.includes(lobby));

    // Keep it alive for a while with heartbeats, then go silent.
    for (let i = 0; i < 3; i++) {
      await sleep(400);
      await send(ev.heartbeat(dying, 1000, now()));
    }
    const lastHeartbeat = now();
    expect(statusesOf(alice)).toEqual(['online', `online:${lobby}`]);

    const offline = await waitChange(alice, (c) => c.status === 'offline', 15_000);
    measured['leaseExpiryOfflineAfterLastHeartbeat'] = offline.receivedAt - lastHeartbeat;
    measured['leaseExpiryOfflineAfterLeaseEnd'] = offline.receivedAt - lastHeartbeat - 1000;
    expect(offline.rooms).toEqual([lobby]);
    expect(offline.receivedAt - lastHeartbeat).toBeGreaterThanOrEqual(900);
    expect(offline.receivedAt - lastHeartbeat).toBeLessThanOrEqual(3500);
    expect(await online(lobby)).toEqual([bob]);
    expect(statusesOf(bob)).toEqual(['online', `online:${lobby}`]);
    expect(await redis.zscore(PresenceKeys.leases, dying)).toBeNull();
    expect(await redis.hlen(PresenceKeys.gatewayConns(dying))).toBe(0);

    // A late connection event stamped before the lease ran out is stale: ignored.
    await send(ev.opened({ ...conn(userId('lease-c'), dying, 'c1'), at: lastHeartbeat }));
    await sleep(1000);
    expect(changesOf(userId('lease-c'))).toEqual([]);

    await send(ev.closed({ ...b1, at: now() }));
  });

  it('gateway_stopped takes its users offline at once; a user also connected elsewhere stays online', async () => {
    const [alice, bob] = [userId('stop-a'), userId('stop-b')];
    const stopping = gatewayId('stop');
    const other = gatewayId('stop-other');
    const lobby = roomId('stop-lobby');
    await send(ev.opened({ ...conn(alice, stopping, 'a1'), at: now() }), ev.joined({ ...conn(alice, stopping, 'a1'), at: now() }, lobby));
    await send(ev.opened({ ...conn(bob, stopping, 'b1'), at: now() }), ev.opened({ ...conn(bob, other, 'b2'), at: now() }));
    await waitChange(alice, (c) => c.rooms.includes(lobby));
    await waitChange(bob, (c) => c.status === 'online');

    const stoppedAt = now();
    await send(ev.stopped(stopping, stoppedAt));
    const offline = await waitChange(alice, (c) => c.status === 'offline', 10_000);
    measured['gatewayStoppedOffline'] = offline.receivedAt - stoppedAt;
    expect(offline).toMatchObject({ lastSeenAt: new Date(stoppedAt).toISOString(), rooms: [lobby] });
    expect(offline.receivedAt - stoppedAt).toBeLessThanOrEqual(1500);
    expect(await online(lobby)).toEqual([]);
    await sleep(500);
    expect(statusesOf(bob)).toEqual(['online']);

    await send(ev.closed({ ...conn(bob, other, 'b2'), at: now() }));
    await waitChange(bob, (c) => c.status === 'offline');
  });

  it('dead-letters records that break the contract, with where they came from', async () => {
    const key = userId('dlq');
    const [meta] = await producer.send({
      topic: PresenceEventsTopic.name,
      acks: -1,
      messages: [{ key, value: 'not json', headers: { 'trace-id': 't-dlq' } }],
    });
    if (!meta) throw new Error('the producer acknowledged no partition');
    const letter = await dlq.waitFor((r) => r.message.key?.toString() === key);
    expect(letter.message.value?.toString()).toBe('not json');
    expect(letter.headers).toMatchObject({
      'trace-id': 't-dlq',
      'kafka_dlt-original-topic': PresenceEventsTopic.name,
      'kafka_dlt-original-partition': String(meta.partition),
      'kafka_dlt-original-offset': String(meta.baseOffset),
      'kafka_dlt-original-consumer-group': config.PRESENCE_GROUP_ID,
      'kafka_dlt-reason': 'invalid',
      'kafka_dlt-exception-message': 'record value is not JSON',
    });
  });

  it('reports ready and exposes its metrics', async () => {
    const running = presence as RunningPresence;
    const ready = await fetch(`${running.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', info: { kafka: { status: 'up' }, redis: { status: 'up' } } });
    const metrics = await (await fetch(`${running.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/presence_events_total\{outcome="applied"\} [1-9]/);
    expect(metrics).toMatch(/presence_changes_published_total\{status="online"\} [1-9]/);
    expect(metrics).toMatch(/presence_leader 1/);
    expect(metrics).toMatch(/presence_watermark_lag_seconds /);
  });

  it('after a restart of the service mid-grace the offline still comes; users of a live gateway stay online through an outage longer than its lease', async () => {
    const [leaving, staying] = [userId('restart-leaving'), userId('restart-staying')];
    const live = gatewayId('restart-live');
    const lobby = roomId('restart-lobby');
    let beating = true;
    const heartbeats = (async () => {
      while (beating) {
        await send(ev.heartbeat(live, 1500, now()));
        await sleep(300);
      }
    })();
    try {
      const l1 = conn(leaving, live, 'l1');
      const s1 = conn(staying, live, 's1');
      await send(ev.opened({ ...l1, at: now() }), ev.joined({ ...l1, at: now() }, lobby));
      await send(ev.opened({ ...s1, at: now() }), ev.joined({ ...s1, at: now() }, lobby));
      await waitChange(leaving, (c) => c.rooms.includes(lobby));
      await waitChange(staying, (c) => c.rooms.includes(lobby));

      const closedAt = now();
      await send(ev.closed({ ...l1, at: closedAt }));
      await presence?.close();
      presence = undefined;
      // Down for longer than both the grace period and the gateway's lease; heartbeats pile up in Kafka.
      await sleep(3000);
      const restartedAt = now();
      presence = await startPresence(config);

      const offline = await waitChange(leaving, (c) => c.status === 'offline', 30_000);
      measured['offlineAfterRestart'] = offline.receivedAt - restartedAt;
      expect(offline).toMatchObject({ lastSeenAt: new Date(closedAt).toISOString(), rooms: [lobby] });
      await sleep(2000);
      expect(statusesOf(staying)).toEqual(['online', `online:${lobby}`]);
      expect(await online(lobby)).toEqual([staying]);
      expect(await redis.hget(PresenceKeys.gatewayConns(live), 's1')).toBe(staying);
    } finally {
      beating = false;
      await heartbeats;
    }
  });
});
