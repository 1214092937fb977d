import { performance } from 'node:perf_hooks';
import { DeliveryAccounting } from '../accounting';
import { ChatEngine, EngineConfig } from '../chat-engine';
import { sharedNow } from '../clock';
import { buildTopology } from '../topology';
import { FakeServer, FakeServerOptions } from '../../testing/fake-protocol';
import { EventMerger, EventRecorder, globalSeq, WorkerEvent } from './events';

const config = (server: FakeServer, partition?: { index: number; count: number }): EngineConfig => ({
  urls: ['http://127.0.0.1:1', 'http://127.0.0.1:2'],
  secret: 's',
  runId: 'run',
  users: 20,
  rooms: 4,
  members: 5,
  bodyBytes: 32,
  connectConcurrency: 5,
  ackTimeoutMs: 1000,
  maxMessages: partition ? 40 / partition.count : 40,
  deadline: performance.now() + 10_000,
  protocol: server.adapter,
  partition,
});

function accountingFor(c: EngineConfig): DeliveryAccounting {
  const topology = buildTopology(c.users, c.rooms, c.members);
  const memberOf = topology.memberships.map((list) => new Map(list.map((m) => [m.room, m.member])));
  const roomIds = Array.from({ length: c.rooms }, (_, r) => `${c.runId}-r${r}`);
  const userIds = Array.from({ length: c.users }, (_, u) => `${c.runId}-u${u}`);
  return new DeliveryAccounting(c.runId, roomIds, topology.rooms, (user, room) => memberOf[user]?.get(room) ?? -1, userIds, sharedNow());
}

/**
 * Two "workers" (engines with a partition each and an EventRecorder) against one fake server, so
 * that every room has members on both, and the sender's worker is not the receivers'.
 */
async function runSplit(options: FakeServerOptions): Promise<{ streams: [WorkerEvent[], WorkerEvent[]]; server: FakeServer; accounting: DeliveryAccounting }> {
  const server = new FakeServer(options);
  const recorders = [new EventRecorder('run', 0, 2), new EventRecorder('run', 1, 2)] as const;
  const engines = recorders.map((r, index) => new ChatEngine(config(server, { index, count: 2 }), () => undefined, r));
  for (const e of engines) await e.connect();
  for (const e of engines) await e.joinAll();
  const plan = { warmupMs: 0, warmupPhase: 0, phase: 1 };
  await Promise.all(engines.map((e) => e.send(1000, 1000, plan)));
  for (const e of engines) e.close();
  return { streams: [recorders[0].take(), recorders[1].take()], server, accounting: accountingFor(config(server)) };
}

async function runSingle(options: FakeServerOptions) {
  const server = new FakeServer(options);
  const engine = new ChatEngine(config(server), () => undefined);
  await engine.connect();
  await engine.joinAll();
  await engine.send(2000, 1000, { warmupMs: 0, warmupPhase: 0, phase: 1 });
  engine.close();
  return engine.accounting.report([1]);
}

describe('accounting over worker processes', () => {
  it('numbers sends uniquely across workers', () => {
    const ids = [0, 1, 2].flatMap((w) => [0, 1, 2, 3].map((local) => globalSeq(local, w, 3)));
    expect(new Set(ids).size).toBe(12);
    const r = new EventRecorder('run', 1, 3);
    expect([r.recordSend(1, 0, 0, 0), r.recordSend(1, 0, 0, 0)]).toEqual(['run-1', 'run-4']);
  });

  it('merges two workers into the counts one process would have, whichever stream arrives first', async () => {
    const single = await runSingle({ ackIdentity: true });
    for (const order of [[0, 1], [1, 0]] as const) {
      const { streams, accounting } = await runSplit({ ackIdentity: true });
      // Deliveries of worker 0's sends sit in worker 1's stream and the other way round.
      expect(streams[1].some((e) => e[0] === 'delivery' && Number(e[2].clientMsgId.slice(4)) % 2 === 0)).toBe(true);
      const merger = new EventMerger(accounting, 'run', 2);
      for (const w of order) merger.push(w, streams[w]);
      expect(merger.waiting).toBe(0);
      const merged = accounting.report([1]);
      expect(merged.counts).toEqual(single.counts);
      expect(merged.counts).toMatchObject({ sent: 40, acked: 40, expected: 200, delivered: 200, lost: 0, duplicates: 0, orderViolations: 0, unexpected: 0 });
      expect(merged.e2eMs.count).toBe(200);
      expect(merged.ackMs.count).toBe(40);
    }
  });

  it('holds back a delivery until its send from the other worker is in, in small batches', async () => {
    const { streams, accounting } = await runSplit({ ackIdentity: false });
    const merger = new EventMerger(accounting, 'run', 2);
    // Worker 1 first, all of it: its deliveries of worker 0's sends must wait, not count as unexpected.
    merger.push(1, streams[1]);
    expect(merger.waiting).toBeGreaterThan(0);
    for (let i = 0; i < streams[0].length; i += 7) merger.push(0, streams[0].slice(i, i + 7));
    expect(merger.waiting).toBe(0);
    expect(accounting.report([1]).counts).toMatchObject({ delivered: 200, unexpected: 0, orderViolations: 0, mismatches: 0 });
  });

  it('finds loss and duplicates only after merging', async () => {
    let dropped = 0;
    const { streams, accounting } = await runSplit({
      ackIdentity: true,
      drop: (id) => id === 'run-3' && dropped++ === 0,
      duplicate: (id) => id === 'run-4',
    });
    const merger = new EventMerger(accounting, 'run', 2);
    merger.push(0, streams[0]);
    merger.push(1, streams[1]);
    expect(accounting.report([1]).counts).toMatchObject({ expected: 200, delivered: 199, lost: 1, duplicates: 5 });
  });

  it('counts a delivery of a send that never comes as unexpected once the workers are done', () => {
    const accounting = accountingFor(config(new FakeServer({ ackIdentity: true })));
    const merger = new EventMerger(accounting, 'run', 2);
    merger.push(1, [['delivery', 1, { messageId: 'm', roomId: 'run-r0', senderId: 'run-u0', clientMsgId: 'run-0', offset: 1 }, 5]]);
    expect(merger.waiting).toBe(1);
    merger.finish();
    expect(merger.waiting).toBe(0);
    expect(accounting.unexpectedOutsidePhases()).toBe(1);
  });
});
