import { Message, ServerEvent, ServerEventPayloads } from '@chat/contracts';
import { expectEventually, sleep, TestClient, uniqueRoom } from './support/client';
import { E2E } from './support/stack';
import { useChatStack } from './support/use-stack';

/** Records one server event on a client, with the time each arrived. */
function record<E extends ServerEvent>(client: TestClient, event: E): { at: number; value: ServerEventPayloads[E] }[] {
  const seen: { at: number; value: ServerEventPayloads[E] }[] = [];
  client.on(event, (value) => seen.push({ at: Date.now(), value }));
  return seen;
}

async function waitFor<T>(seen: { at: number; value: T }[], match: (v: T) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = seen.find((s) => match(s.value));
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no matching event within ${timeoutMs} ms; saw ${JSON.stringify(seen.map((s) => s.value))}`);
    await sleep(20);
  }
}

describe('presence, typing and read receipts across gateways', () => {
  const { stack, connect } = useChatStack();

  it('shows alice online when she joins, keeps her online while one socket remains, offline within 2 s of the last close', async () => {
    const room = uniqueRoom('e2e-presence');
    const bob = await connect(E2E.gatewayB, 'bob');
    await bob.ok('room:join', { roomId: room });
    const updates = record(bob, 'presence:update');

    const alice = await connect(E2E.gatewayA, 'p-alice');
    const aliceOnPhone = await connect(E2E.gatewayB, 'p-alice');
    await alice.ok('room:join', { roomId: room });
    await aliceOnPhone.ok('room:join', { roomId: room });
    await waitFor(updates, (u) => u.userId === 'p-alice' && u.status === 'online', 5000);
    await expectEventually(async () => {
      expect((await bob.ok('room:join', { roomId: room })).online.sort()).toEqual(['bob', 'p-alice']);
    });

    alice.close();
    await sleep(2500);
    expect(updates.some((u) => u.value.userId === 'p-alice' && u.value.status === 'offline')).toBe(false);

    const closedAt = Date.now();
    aliceOnPhone.close();
    const offline = await waitFor(updates, (u) => u.userId === 'p-alice' && u.status === 'offline', 4000);
    const latency = offline.at - closedAt;
    process.stdout.write(`clean-close offline detection: ${latency} ms\n`);
    expect(latency).toBeLessThanOrEqual(2000);
  });

  it('reports no offline/online pair for a reconnect within the grace period', async () => {
    const room = uniqueRoom('e2e-refresh');
    const bob = await connect(E2E.gatewayB, 'bob');
    await bob.ok('room:join', { roomId: room });
    const updates = record(bob, 'presence:update');
    const alice = await connect(E2E.gatewayA, 'r-alice');
    await alice.ok('room:join', { roomId: room });
    await waitFor(updates, (u) => u.userId === 'r-alice' && u.status === 'online', 5000);
    const before = updates.length;

    alice.close(); // a page refresh: the new socket comes straight back
    const again = await connect(E2E.gatewayB, 'r-alice');
    await again.ok('room:join', { roomId: room });
    await sleep(2500);
    expect(updates.slice(before).filter((u) => u.value.userId === 'r-alice')).toEqual([]);
  });

  it('sends typing across gateways, not back to the typist, and ends it after 5 s without update', async () => {
    const room = uniqueRoom('e2e-typing');
    const alice = await connect(E2E.gatewayA, 'alice');
    const bob = await connect(E2E.gatewayB, 'bob');
    await alice.ok('room:join', { roomId: room });
    await bob.ok('room:join', { roomId: room });
    const bobSees = record(bob, 'typing');
    const aliceSees = record(alice, 'typing');

    const startedAt = Date.now();
    await alice.ok('typing', { roomId: room, typing: true });
    await waitFor(bobSees, (t) => t.userId === 'alice' && t.typing, 3000);
    const stopped = await waitFor(bobSees, (t) => t.userId === 'alice' && !t.typing, 8000);
    expect(stopped.at - startedAt).toBeGreaterThanOrEqual(4900);
    expect(aliceSees).toEqual([]);
  });

  it('relays read receipts, stores them forward only, and answers readOffset and unread on join', async () => {
    const room = uniqueRoom('e2e-receipts');
    const alice = await connect(E2E.gatewayA, 'alice');
    const bob = await connect(E2E.gatewayB, 'bob');
    await alice.ok('room:join', { roomId: room });
    await bob.ok('room:join', { roomId: room });
    const receipts = record(alice, 'receipt:read');
    const sent: Message[] = [];
    for (let i = 0; i < 5; i++) sent.push((await alice.ok('message:send', { roomId: room, clientMsgId: `rr-${i}`, body: `m${i}` })).message);

    await bob.ok('receipt:read', { roomId: room, offset: sent[2].offset });
    await waitFor(receipts, (r) => r.userId === 'bob' && r.offset === sent[2].offset, 3000);
    await bob.ok('receipt:read', { roomId: room, offset: sent[0].offset }); // backwards: ignored by the store

    await stack.persister.stop();
    await stack.persister.start();
    await expectEventually(async () => {
      const join = await bob.ok('room:join', { roomId: room });
      expect(join.readOffset).toBe(sent[2].offset);
      expect(join.unread).toBe(2);
    });
  });

  it('rebuilds presence after the presence service restarts', async () => {
    const room = uniqueRoom('e2e-presence-restart');
    const alice = await connect(E2E.gatewayA, 'alice');
    await alice.ok('room:join', { roomId: room });
    const gone = await connect(E2E.gatewayB, 'gone-user');
    await gone.ok('room:join', { roomId: room });

    await stack.presence.stop();
    gone.close(); // happens while presence is down: the event waits in Kafka
    await stack.presence.start();

    const bob = await connect(E2E.gatewayB, 'bob');
    await expectEventually(async () => {
      const join = await bob.ok('room:join', { roomId: room });
      expect(join.online.sort()).toEqual(['alice', 'bob']);
    }, 15_000);
  });

  it('marks the users of a killed gateway offline within 30 s', async () => {
    const room = uniqueRoom('e2e-crash');
    const bob = await connect(E2E.gatewayB, 'bob');
    await bob.ok('room:join', { roomId: room });
    const updates = record(bob, 'presence:update');
    const victim = await connect(E2E.gatewayA, 'k-victim');
    await victim.ok('room:join', { roomId: room });
    await waitFor(updates, (u) => u.userId === 'k-victim' && u.status === 'online', 5000);

    const killedAt = Date.now();
    await stack.gatewayA.kill();
    const offline = await waitFor(updates, (u) => u.userId === 'k-victim' && u.status === 'offline', 35_000);
    const latency = offline.at - killedAt;
    process.stdout.write(`killed-gateway offline detection: ${latency} ms\n`);
    expect(latency).toBeLessThanOrEqual(30_000);
    await stack.gatewayA.start();
  });
});
