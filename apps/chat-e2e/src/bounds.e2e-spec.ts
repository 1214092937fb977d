import { ErrorCode } from '@chat/contracts';
import { refusedWith, sleep, tokenFor, uniqueRoom } from './support/client';
import { RawChannel } from './support/raw-channel';
import { E2E } from './support/stack';
import { useChatStack } from './support/use-stack';

/** The findings of a hostile-input test, each against the real gateway (defaults of §12). */
describe('bounded input: refused with a protocol code, never a crash or a dropped connection', () => {
  const { stack, connect } = useChatStack();

  it('answers a payload nested 10,000 deep with INVALID_PAYLOAD and keeps the connection', async () => {
    const alice = await connect(E2E.gatewayB, 'bounds-deep');
    const raw = new RawChannel(alice.socket);
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    for (const event of ['typing', 'message:send', 'room:join']) {
      expect(await raw.event(`["${event}",${deep}]`)).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_PAYLOAD } });
    }
    expect(await raw.event(`["room:join",${'['.repeat(5000)}${']'.repeat(5000)}]`)).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_PAYLOAD } });
    expect(alice.socket.connected).toBe(true);
    expect(await alice.emit('room:join', { roomId: uniqueRoom('deep') })).toMatchObject({ ok: true });
  });

  it('answers an event with 500 binary attachments with INVALID_PAYLOAD and keeps the connection', async () => {
    const alice = await connect(E2E.gatewayB, 'bounds-binary');
    const room = uniqueRoom('binary');
    await alice.ok('room:join', { roomId: room });
    const parts = Array.from({ length: 500 }, (_, i) => Buffer.from([i % 256]));
    expect(await alice.emitRaw('message:send', { roomId: room, clientMsgId: 'b', body: 'x', parts })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.INVALID_PAYLOAD },
    });
    expect(await alice.emitRaw('typing', Buffer.from('x'))).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_PAYLOAD } });
    new RawChannel(alice.socket).frame(Buffer.from('stray'));
    await sleep(100);
    expect(alice.socket.connected).toBe(true);
    expect(await alice.emit('message:send', { roomId: room, clientMsgId: 'after', body: 'still here' })).toMatchObject({ ok: true });
  });

  it('rate-limits typing per connection, and receipts per user across connections', async () => {
    const room = uniqueRoom('rate-signals');
    const first = await connect(E2E.gatewayB, 'bounds-rate');
    await first.ok('room:join', { roomId: room });
    const typing = await Promise.all(Array.from({ length: 260 }, () => first.emit('typing', { roomId: room, typing: true })));
    const limited = typing.filter((a) => !a.ok && a.error.code === ErrorCode.RATE_LIMITED).length;
    expect(limited).toBeGreaterThanOrEqual(40); // burst 200 (one token went to the join), 50/s
    expect(typing.every((a) => a.ok || (a.error.code === ErrorCode.RATE_LIMITED && a.error.retryable))).toBe(true);

    // The user's bucket (burst 400) is shared: three fresh connections of 190 receipts each overrun it.
    const others = await Promise.all([1, 2, 3].map(() => connect(E2E.gatewayB, 'bounds-rate-user')));
    for (const other of others) await other.ok('room:join', { roomId: room });
    const receipts = await Promise.all(
      others.flatMap((other) => Array.from({ length: 190 }, (_, i) => other.emit('receipt:read', { roomId: room, offset: i }))),
    );
    // Each connection stays within its own burst: whatever is refused, the user's bucket refused
    // (570 against 400 saved, less what refills at 100/s while they arrive).
    const refused = receipts.filter((a) => !a.ok);
    expect(refused.length).toBeGreaterThanOrEqual(20);
    expect(refused.every((a) => !a.ok && a.error.code === ErrorCode.RATE_LIMITED && /user/.test(a.error.message))).toBe(true);
  });

  it('refuses a user\'s 21st connection on a gateway with TOO_MANY_CONNECTIONS, and takes one again after a close', async () => {
    const clients = await Promise.all(Array.from({ length: 20 }, () => connect(E2E.gatewayA, 'bounds-conns')));
    expect(await refusedWith(E2E.gatewayA, { token: tokenFor('bounds-conns') })).toBe(ErrorCode.TOO_MANY_CONNECTIONS);
    // The cap is per gateway: the other one takes the user.
    expect((await connect(E2E.gatewayB, 'bounds-conns')).socket.connected).toBe(true);
    clients[0].close();
    await sleep(200);
    expect((await connect(E2E.gatewayA, 'bounds-conns')).socket.connected).toBe(true);
  });

  it('refuses a connection\'s 201st room with TOO_MANY_ROOMS, and takes another after a leave', async () => {
    const alice = await connect(E2E.gatewayA, 'bounds-rooms');
    const prefix = uniqueRoom('cap');
    for (let batch = 0; batch < 4; batch++) {
      const acks = await Promise.all(Array.from({ length: 50 }, (_, i) => alice.emit('room:join', { roomId: `${prefix}-${batch * 50 + i}` })));
      expect(acks.filter((a) => !a.ok)).toEqual([]);
    }
    await sleep(200); // the join burst is spent: let a few tokens refill
    expect(await alice.emit('room:join', { roomId: `${prefix}-extra` })).toMatchObject({ ok: false, error: { code: ErrorCode.TOO_MANY_ROOMS, retryable: false } });
    expect(await alice.emit('room:join', { roomId: `${prefix}-7` })).toMatchObject({ ok: true });
    await alice.ok('room:leave', { roomId: `${prefix}-7` });
    expect(await alice.emit('room:join', { roomId: `${prefix}-extra` })).toMatchObject({ ok: true });
  });

  it('leaves both gateways alive after all of it', async () => {
    for (const gateway of [stack.gatewayA, stack.gatewayB]) expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
  });
});
