import { Message } from '@chat/contracts';
import { expectEventually, joinedThenLive, uniqueRoom } from './support/client';
import { E2E } from './support/stack';
import { useChatStack } from './support/use-stack';

describe('messages across gateways (real Kafka, Redis, PostgreSQL)', () => {
  const { connect } = useChatStack();

  it('delivers 200 messages from alice on gateway A to bob on gateway B, in order, with the acked offsets', async () => {
    const room = uniqueRoom('e2e-order');
    const alice = await connect(E2E.gatewayA, 'alice');
    const bob = await connect(E2E.gatewayB, 'bob');
    await alice.ok('room:join', { roomId: room });
    await bob.ok('room:join', { roomId: room });

    const acks = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        alice.ok('message:send', { roomId: room, clientMsgId: `m-${i}`, body: `message ${i}` }),
      ),
    );
    const received = await bob.waitForMessages(200);

    expect(received).toHaveLength(200);
    const ackedOffsets = new Map(acks.map((a) => [a.message.messageId, a.message.offset]));
    const sorted = [...acks].sort((x, y) => x.message.offset - y.message.offset);
    expect(received.map((m) => m.messageId)).toEqual(sorted.map((a) => a.message.messageId));
    for (const message of received) expect(message.offset).toBe(ackedOffsets.get(message.messageId));
    for (let i = 1; i < received.length; i++) expect(received[i].offset).toBeGreaterThan(received[i - 1].offset);
    // Sent one after another on one socket, so the log order is the send order.
    expect(received.map((m) => m.body)).toEqual(acks.map((_, i) => `message ${i}`));
  });

  it('answers a retried send with the same message and stores it once', async () => {
    const room = uniqueRoom('e2e-retry');
    const alice = await connect(E2E.gatewayA, 'alice');
    const aliceElsewhere = await connect(E2E.gatewayB, 'alice');
    await alice.ok('room:join', { roomId: room });
    await aliceElsewhere.ok('room:join', { roomId: room });

    const first = await alice.ok('message:send', { roomId: room, clientMsgId: 'same', body: 'once' });
    const again = await alice.ok('message:send', { roomId: room, clientMsgId: 'same', body: 'once' });
    const viaOtherGateway = await aliceElsewhere.ok('message:send', { roomId: room, clientMsgId: 'same', body: 'once' });

    expect(again.message).toEqual(first.message);
    expect(viaOtherGateway.message).toEqual(first.message);
    await expectEventually(async () => {
      const history = await alice.ok('history:fetch', { roomId: room });
      expect(history.messages.filter((m) => m.clientMsgId === 'same')).toEqual([first.message]);
    });
  });

  it('gives a reconnecting client exactly what it missed through room:join sinceOffset', async () => {
    const room = uniqueRoom('e2e-recover');
    const alice = await connect(E2E.gatewayA, 'alice');
    let bob = await connect(E2E.gatewayB, 'bob');
    await alice.ok('room:join', { roomId: room });
    await bob.ok('room:join', { roomId: room });

    for (let i = 0; i < 5; i++) await alice.ok('message:send', { roomId: room, clientMsgId: `before-${i}`, body: `before ${i}` });
    const seen = await bob.waitForMessages(5);
    const lastSeen = seen[seen.length - 1].offset;
    bob.close();

    const missed: Message[] = [];
    for (let i = 0; i < 30; i++) {
      const ack = await alice.ok('message:send', { roomId: room, clientMsgId: `missed-${i}`, body: `missed ${i}` });
      missed.push(ack.message);
    }

    bob = await connect(E2E.gatewayB, 'bob');
    const rejoin = await bob.ok('room:join', { roomId: room, sinceOffset: lastSeen });
    expect(await joinedThenLive(bob, rejoin.messages, missed)).toEqual(missed);
  });

  it('answers room:join with the latest 50 messages, ascending', async () => {
    const room = uniqueRoom('e2e-latest');
    const alice = await connect(E2E.gatewayA, 'alice');
    await alice.ok('room:join', { roomId: room });
    const sent: Message[] = [];
    for (let i = 0; i < 60; i++) {
      sent.push((await alice.ok('message:send', { roomId: room, clientMsgId: `l-${i}`, body: `l ${i}` })).message);
    }
    const bob = await connect(E2E.gatewayB, 'bob');
    const join = await bob.ok('room:join', { roomId: room });
    expect(join.messages).toHaveLength(50);
    const latest = sent.slice(-50);
    expect((await joinedThenLive(bob, join.messages, sent)).filter((m) => m.offset >= latest[0].offset)).toEqual(latest);
    expect(join.online.sort()).toEqual(['alice', 'bob']);
  });
});
