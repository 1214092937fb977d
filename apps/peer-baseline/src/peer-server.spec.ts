import jwt from 'jsonwebtoken';
import { io, Socket } from 'socket.io-client';
import { Ack, Message, MessageSendResult, RoomJoinResult } from '@chat/contracts';
import { MemoryOffsets, PeerServer, startPeer } from './peer-server';

const SECRET = 'peer-test-secret';

describe('peer baseline server (one instance, in-memory adapter)', () => {
  let peer: PeerServer;
  const sockets: Socket[] = [];

  const connect = (userId: string, secret = SECRET): Promise<Socket> => {
    const socket = io(`http://127.0.0.1:${peer.port}/chat`, {
      auth: { token: jwt.sign({ sub: userId }, secret, { algorithm: 'HS256' }) },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  };
  const call = <T>(socket: Socket, event: string, payload: unknown) => socket.timeout(2000).emitWithAck(event, payload) as Promise<Ack<T>>;

  beforeAll(async () => {
    peer = await startPeer({ port: 0, jwtSecret: SECRET, sendRatePerSec: 5, sendBurst: 5 }, new MemoryOffsets());
  });
  afterEach(() => sockets.splice(0).forEach((s) => s.close()));
  afterAll(() => peer.close());

  it('refuses a forged token with UNAUTHORIZED', async () => {
    await expect(connect('alice', 'wrong')).rejects.toMatchObject({ message: 'UNAUTHORIZED' });
  });

  it('answers health checks', async () => {
    expect((await fetch(`http://127.0.0.1:${peer.port}/health/ready`)).status).toBe(200);
  });

  it('joins, sends and fans out with the protocol v1 payloads and increasing offsets', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    const received: Message[] = [];
    bob.on('message:new', (m: Message) => received.push(m));
    const join = await call<RoomJoinResult>(alice, 'room:join', { roomId: 'peer-room' });
    expect(join).toEqual({ ok: true, roomId: 'peer-room', online: [], messages: [] });
    await call(bob, 'room:join', { roomId: 'peer-room' });

    const first = await call<MessageSendResult>(alice, 'message:send', { roomId: 'peer-room', clientMsgId: 'c1', body: 'hello' });
    const second = await call<MessageSendResult>(alice, 'message:send', { roomId: 'peer-room', clientMsgId: 'c2', body: 'again' });
    if (!first.ok || !second.ok) throw new Error('send failed');
    expect(first.message).toMatchObject({ roomId: 'peer-room', senderId: 'alice', clientMsgId: 'c1', body: 'hello', offset: 0 });
    expect(second.message.offset).toBe(1);
    expect(new Date(first.message.sentAt).toISOString()).toBe(first.message.sentAt);

    const deadline = Date.now() + 2000;
    while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(received).toEqual([first.message, second.message]);
  });

  it('answers protocol errors without disconnecting', async () => {
    const carol = await connect('carol');
    expect(await call(carol, 'message:send', { roomId: 'elsewhere', clientMsgId: 'c', body: 'x' })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    expect(await call(carol, 'room:join', { roomId: 'dm:alice:bob' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call(carol, 'room:join', 'nonsense')).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', retryable: false } });
    expect(await call(carol, 'history:fetch', { roomId: 'general' })).toEqual({ ok: true, messages: [], hasMore: false });
    await call(carol, 'room:join', { roomId: 'limits' });
    const answers = await Promise.all(Array.from({ length: 7 }, (_, i) => call(carol, 'message:send', { roomId: 'limits', clientMsgId: `m${i}`, body: 'x' })));
    expect(answers.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(1);
    expect(carol.connected).toBe(true);
  });
});
