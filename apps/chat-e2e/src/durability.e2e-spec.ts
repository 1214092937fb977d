import Redis from 'ioredis';
import { Ack, ErrorCode, Message, MessageSendResult, RedisKeys } from '@chat/contracts';
import { expectEventually, TestClient, uniqueRoom } from './support/client';
import { E2E } from './support/stack';
import { useChatStack } from './support/use-stack';

/** Pages back through a room with history:fetch until hasMore is false; ascending. */
async function fetchAll(client: TestClient, roomId: string): Promise<Message[]> {
  const pages: Message[][] = [];
  let beforeOffset: number | undefined;
  for (;;) {
    const page = await client.ok('history:fetch', { roomId, limit: 100, beforeOffset });
    pages.unshift(page.messages);
    if (!page.hasMore || page.messages.length === 0) return pages.flat();
    beforeOffset = page.messages[0].offset;
  }
}

describe('durability: restarts, shutdown and a silent persister', () => {
  const { stack, connect } = useChatStack();
  const redis = new Redis(E2E.redisUrl);
  afterAll(() => redis.disconnect());

  it('serves every message from PostgreSQL, in order and once, after the gateways and the persister restart', async () => {
    const room = uniqueRoom('e2e-restart');
    const alice = await connect(E2E.gatewayA, 'alice');
    await alice.ok('room:join', { roomId: room });
    const sent: Message[] = [];
    for (let i = 0; i < 250; i++) {
      sent.push((await alice.ok('message:send', { roomId: room, clientMsgId: `d-${i}`, body: `durable ${i}` })).message);
    }
    await alice.ok('message:send', { roomId: room, clientMsgId: 'd-7', body: 'durable 7' }); // a retry: no new message
    await expectEventually(async () => expect(await fetchAll(alice, room)).toHaveLength(250), 20_000);
    alice.close();

    await stack.stop();
    await redis.del(RedisKeys.recentHistory(room)); // nothing left but PostgreSQL
    await stack.start();

    const bob = await connect(E2E.gatewayB, 'bob');
    expect(await fetchAll(bob, room)).toEqual(sent);
  });

  it('loses no acknowledged message when a gateway shuts down while sends are in flight', async () => {
    const room = uniqueRoom('e2e-drain');
    const alice = await connect(E2E.gatewayA, 'alice');
    await alice.ok('room:join', { roomId: room });
    const sends = Array.from({ length: 300 }, (_, i) =>
      alice.emit('message:send', { roomId: room, clientMsgId: `s-${i}`, body: `in flight ${i}` }),
    );
    const stopped = stack.gatewayA.stop();
    const acks = await Promise.all(sends.map((s) => s.catch(() => undefined)));
    expect(await stopped).toBe(0);
    await stack.gatewayA.start();

    const acked = acks.filter((a): a is Ack<MessageSendResult> & { ok: true } => a?.ok === true).map((a) => a.message);
    const bob = await connect(E2E.gatewayB, 'bob');
    await expectEventually(async () => {
      const stored = await fetchAll(bob, room);
      const storedIds = new Set(stored.map((m) => m.messageId));
      expect(acked.filter((m) => !storedIds.has(m.messageId))).toEqual([]);
    }, 20_000);
  });

  it('answers UNAVAILABLE (retryable) when the persister does not answer a history request', async () => {
    const bob = await connect(E2E.gatewayB, 'bob');
    await stack.persister.stop();
    try {
      const ack = await bob.emit('history:fetch', { roomId: uniqueRoom('e2e-silent') });
      expect(ack).toMatchObject({ ok: false, error: { code: ErrorCode.UNAVAILABLE, retryable: true } });
    } finally {
      await stack.persister.start();
    }
  });
});
