import { ErrorCode } from '@chat/contracts';
import { refusedWith, tokenFor, uniqueRoom } from './support/client';
import { E2E } from './support/stack';
import { useChatStack } from './support/use-stack';

describe('protocol errors: refused, never crashed', () => {
  const { connect } = useChatStack();

  it('refuses a missing, forged or expired token with UNAUTHORIZED', async () => {
    expect(await refusedWith(E2E.gatewayA, {})).toBe('UNAUTHORIZED');
    expect(await refusedWith(E2E.gatewayA, { token: 'not.a.jwt' })).toBe('UNAUTHORIZED');
    expect(await refusedWith(E2E.gatewayB, { token: tokenFor('alice', 'wrong-secret') })).toBe('UNAUTHORIZED');
    expect(await refusedWith(E2E.gatewayB, { token: tokenFor('alice', E2E.jwtSecret, -10) })).toBe('UNAUTHORIZED');
  });

  it('lets only its two members into a direct conversation', async () => {
    const carol = await connect(E2E.gatewayA, 'carol');
    const alice = await connect(E2E.gatewayB, 'alice');
    const refused = await carol.emit('room:join', { roomId: 'dm:alice:bob' });
    expect(refused).toMatchObject({ ok: false, error: { code: ErrorCode.FORBIDDEN, retryable: false } });
    expect(await carol.emit('history:fetch', { roomId: 'dm:alice:bob' })).toMatchObject({ ok: false, error: { code: ErrorCode.FORBIDDEN } });
    expect(await alice.emit('room:join', { roomId: 'dm:alice:bob' })).toMatchObject({ ok: true, roomId: 'dm:alice:bob' });
  });

  it('answers malformed payloads with INVALID_PAYLOAD and keeps the connection', async () => {
    const alice = await connect(E2E.gatewayA, 'alice');
    const room = uniqueRoom('e2e-bad');
    const bad: [string, unknown][] = [
      ['room:join', undefined],
      ['room:join', 'general'],
      ['room:join', { roomId: 'Not Valid' }],
      ['room:join', { roomId: 'dm:bob:alice' }],
      ['room:join', { roomId: room, sinceOffset: -1 }],
      ['message:send', { roomId: room }],
      ['message:send', { roomId: room, clientMsgId: 'x', body: '' }],
      ['history:fetch', { roomId: room, limit: 0 }],
      ['history:fetch', { roomId: room, limit: 101 }],
      ['room:leave', 42],
    ];
    for (const [event, payload] of bad) {
      expect(await alice.emitRaw(event, payload)).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_PAYLOAD } });
    }
    expect(alice.socket.connected).toBe(true);
    await alice.ok('room:join', { roomId: room });
    expect(await alice.emit('message:send', { roomId: room, clientMsgId: 'ok', body: 'still here' })).toMatchObject({ ok: true });
  });

  it('refuses oversized bodies and packets with PAYLOAD_TOO_LARGE', async () => {
    const alice = await connect(E2E.gatewayA, 'alice');
    const room = uniqueRoom('e2e-large');
    await alice.ok('room:join', { roomId: room });
    expect(await alice.emit('message:send', { roomId: room, clientMsgId: 'big', body: 'x'.repeat(4001) })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.PAYLOAD_TOO_LARGE },
    });
    expect(await alice.emitRaw('message:send', { roomId: room, clientMsgId: 'big2', body: 'ok', pad: 'y'.repeat(70_000) })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.PAYLOAD_TOO_LARGE },
    });
    expect(alice.socket.connected).toBe(true);
  });

  it('refuses a send to a room the socket has not joined with NOT_IN_ROOM', async () => {
    const alice = await connect(E2E.gatewayB, 'alice');
    const room = uniqueRoom('e2e-notin');
    expect(await alice.emit('message:send', { roomId: room, clientMsgId: 'x', body: 'hi' })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.NOT_IN_ROOM },
    });
    await alice.ok('room:join', { roomId: room });
    await alice.ok('room:leave', { roomId: room });
    expect(await alice.emit('message:send', { roomId: room, clientMsgId: 'y', body: 'hi' })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.NOT_IN_ROOM },
    });
  });

  it('rate-limits sends beyond the burst with RATE_LIMITED (retryable)', async () => {
    const alice = await connect(E2E.gatewayB, 'alice'); // gateway B runs the default 20/s, burst 40
    const room = uniqueRoom('e2e-rate');
    await alice.ok('room:join', { roomId: room });
    const acks = await Promise.all(
      Array.from({ length: 60 }, (_, i) => alice.emit('message:send', { roomId: room, clientMsgId: `r-${i}`, body: 'spam' })),
    );
    const limited = acks.filter((a) => !a.ok && a.error.code === ErrorCode.RATE_LIMITED);
    expect(acks.filter((a) => a.ok).length).toBeGreaterThanOrEqual(40);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(limited.every((a) => !a.ok && a.error.retryable)).toBe(true);
  });
});
