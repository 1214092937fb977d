import { performance } from 'node:perf_hooks';
import { ChatEngine, EngineConfig } from './chat-engine';
import { FakeServer, FakeServerOptions } from '../testing/fake-protocol';

const config = (server: FakeServer): EngineConfig => ({
  urls: ['http://127.0.0.1:1', 'http://127.0.0.1:2'],
  secret: 's',
  runId: 'run',
  users: 20,
  rooms: 4,
  members: 5,
  bodyBytes: 32,
  connectConcurrency: 5,
  ackTimeoutMs: 1000,
  maxMessages: 40,
  deadline: performance.now() + 10_000,
  protocol: server.adapter,
});

async function run(options: FakeServerOptions) {
  const server = new FakeServer(options);
  const engine = new ChatEngine(config(server), () => undefined);
  const stats = await engine.connect();
  const joinFailures = await engine.joinAll();
  await engine.send(2000, 1000, { warmupMs: 0, warmupPhase: 0, phase: 1 });
  await engine.drain(100);
  engine.close();
  return { stats, joinFailures, report: engine.accounting.report([1]), server };
}

describe('ChatEngine over a protocol adapter', () => {
  it('sends to every room and counts each member delivery once, with ack identities (protocol v1)', async () => {
    const { stats, joinFailures, report, server } = await run({ ackIdentity: true });
    expect(stats.connected).toBe(20);
    expect(joinFailures).toEqual([]);
    expect([...server.rooms.values()].map((m) => m.size)).toEqual([5, 5, 5, 5]);
    expect(report.counts).toMatchObject({ sent: 40, acked: 40, failed: 0, expected: 200, delivered: 200, lost: 0, duplicates: 0, orderViolations: 0, mismatches: 0, unexpected: 0 });
    expect(report.e2eMs.count).toBe(200);
    expect(report.ackMs.count).toBe(40);
  });

  it('takes the identity from the deliveries when the ack carries none (Centrifugo)', async () => {
    const { report } = await run({ ackIdentity: false });
    expect(report.counts).toMatchObject({ acked: 40, delivered: 200, lost: 0, mismatches: 0 });
  });

  it('counts lost and duplicated deliveries whatever the adapter', async () => {
    let dropped = 0;
    const { report } = await run({
      ackIdentity: false,
      // One member of message run-3's room never gets it.
      drop: (id) => id === 'run-3' && dropped++ === 0,
      duplicate: (id) => id === 'run-5',
    });
    expect(report.counts).toMatchObject({ expected: 200, delivered: 199, lost: 1, duplicates: 5 });
  });

  it('reports refused connections and does not send for users that are not connected', async () => {
    const { stats, report } = await run({ ackIdentity: true, refuse: (user) => user === 'run-u7' });
    expect(stats).toMatchObject({ connected: 19, failed: 1, errors: { refused: 1 } });
    expect(report.counts.failures).toEqual({ DISCONNECTED: 2 });
  });
});
