import { randomUUID } from 'node:crypto';
import { createServer, Server as HttpServer } from 'node:http';
import { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import {
  Ack,
  CHAT_NAMESPACE,
  ClientEvent,
  ClientEventResults,
  ErrorCode,
  InterServerEvents,
  Message,
  mayAccessRoom,
  ProtocolError,
  ServerEvent,
  ServerToClientEvents,
} from '@chat/contracts';
import { optionalOffset, roomIdOf, sendRequestOf, TokenBucket, verifyToken } from './protocol';

/** Where a room's next offset comes from. */
export interface OffsetSource {
  next(roomId: string): Promise<number>;
}

/**
 * Redis INCR per room: one counter shared by every instance, so offsets are unique and
 * increase in the order Redis assigned them. (A counter per instance would hand out the same
 * offsets on both instances; nothing orders the fan-out across instances either way.)
 */
export class RedisOffsets implements OffsetSource {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'peer:offset:',
  ) {}

  async next(roomId: string): Promise<number> {
    return (await this.redis.incr(this.prefix + roomId)) - 1;
  }
}

/** One process only (tests). */
export class MemoryOffsets implements OffsetSource {
  private readonly counters = new Map<string, number>();

  async next(roomId: string): Promise<number> {
    const next = this.counters.get(roomId) ?? 0;
    this.counters.set(roomId, next + 1);
    return next;
  }
}

export interface PeerConfig {
  port: number;
  jwtSecret: string;
  sendRatePerSec: number;
  sendBurst: number;
}

/**
 * The client events as the peer receives them: ClientToServerEvents with the payload unknown,
 * since it is what a client sent before any validation, and the ack optional, since a client
 * may leave it out.
 */
type PeerListenEvents = {
  [E in ClientEvent]: (payload: unknown, ack?: (response: Ack<ClientEventResults[E]>) => void) => void;
};

export type PeerIo = Server<PeerListenEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface PeerServer {
  io: PeerIo;
  http: HttpServer;
  port: number;
  close(): Promise<void>;
}

interface SocketData {
  userId: string;
  bucket: TokenBucket;
}

const fail = (error: unknown): Ack<never> => {
  if (error instanceof ProtocolError) return { ok: false, error: error.toBody() };
  return { ok: false, error: new ProtocolError(ErrorCode.INTERNAL, 'internal error').toBody() };
};

/** Answers every ack, whatever the payload: the handler's result, or the protocol error it threw. */
function answering<E extends ClientEvent>(
  handler: (payload: unknown) => Promise<ClientEventResults[E]> | ClientEventResults[E],
): (payload: unknown, ack?: (response: Ack<ClientEventResults[E]>) => void) => void {
  return async (payload, ack) => {
    // A client may leave the ack out: there is nobody to answer then.
    if (typeof ack !== 'function') return;
    try {
      ack({ ok: true, ...(await handler(payload)) });
    } catch (error) {
      ack(fail(error));
    }
  };
}

/**
 * The usual alternative: a plain Socket.IO server speaking protocol v1 (same namespace, events,
 * payloads, acks and JWT handshake), fanned out by whatever adapter is installed — in the
 * benchmark @socket.io/redis-adapter over two instances. No log, no storage, no dedupe.
 */
export async function startPeer(config: PeerConfig, offsets: OffsetSource, configure?: (io: PeerIo) => void): Promise<PeerServer> {
  const http = createServer((req, res) => {
    if (req.url === '/health/ready' || req.url === '/health/live') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else {
      res.writeHead(404).end();
    }
  });
  const io: PeerIo = new Server(http, { serveClient: false, maxHttpBufferSize: 1024 * 1024, cors: { origin: true } });
  configure?.(io);
  const chat = io.of(CHAT_NAMESPACE);

  chat.use((socket, next) => {
    const auth: Readonly<Record<string, unknown>> | undefined = socket.handshake.auth;
    const user = verifyToken(auth?.['token'], config.jwtSecret);
    if (!user) return next(new Error(ErrorCode.UNAUTHORIZED));
    socket.data = { userId: user.id, bucket: new TokenBucket(config.sendRatePerSec, config.sendBurst) };
    next();
  });

  chat.on('connection', (socket) => {
    const { data } = socket;
    socket.on(ClientEvent.RoomJoin, answering<'room:join'>((payload) => {
      const roomId = roomIdOf(payload);
      optionalOffset(payload, 'sinceOffset');
      if (!mayAccessRoom(data.userId, roomId)) throw new ProtocolError(ErrorCode.FORBIDDEN, 'not a member of this conversation');
      socket.join(roomId);
      return { roomId, online: [], messages: [] };
    }));

    socket.on(ClientEvent.RoomLeave, answering<'room:leave'>((payload) => {
      socket.leave(roomIdOf(payload));
      return {};
    }));

    socket.on(ClientEvent.MessageSend, answering<'message:send'>(async (payload) => {
      if (!data.bucket.tryTake()) throw new ProtocolError(ErrorCode.RATE_LIMITED, 'too many messages; slow down');
      const request = sendRequestOf(payload);
      if (!socket.rooms.has(request.roomId)) throw new ProtocolError(ErrorCode.NOT_IN_ROOM, `join ${request.roomId} before sending to it`);
      let offset: number;
      try {
        offset = await offsets.next(request.roomId);
      } catch (error) {
        throw new ProtocolError(ErrorCode.UNAVAILABLE, `offset counter unavailable: ${(error as Error).message}`);
      }
      const message: Message = {
        messageId: randomUUID(),
        roomId: request.roomId,
        senderId: data.userId,
        body: request.body,
        clientMsgId: request.clientMsgId,
        offset,
        sentAt: new Date().toISOString(),
      };
      chat.to(request.roomId).emit(ServerEvent.MessageNew, message);
      return { message };
    }));

    socket.on(ClientEvent.HistoryFetch, answering<'history:fetch'>((payload) => {
      roomIdOf(payload);
      optionalOffset(payload, 'beforeOffset');
      return { messages: [], hasMore: false };
    }));

    socket.on(ClientEvent.Typing, answering<'typing'>((payload) => {
      const roomId = roomIdOf(payload);
      const typing = (payload as { typing?: unknown }).typing;
      if (typeof typing !== 'boolean') throw new ProtocolError(ErrorCode.INVALID_PAYLOAD, 'typing must be a boolean');
      if (!socket.rooms.has(roomId)) throw new ProtocolError(ErrorCode.NOT_IN_ROOM, `join ${roomId} first`);
      socket.to(roomId).emit(ServerEvent.Typing, { roomId, userId: data.userId, typing });
      return {};
    }));

    socket.on(ClientEvent.ReceiptRead, answering<'receipt:read'>((payload) => {
      const roomId = roomIdOf(payload);
      const offset = optionalOffset(payload, 'offset');
      if (offset === undefined) throw new ProtocolError(ErrorCode.INVALID_PAYLOAD, 'offset is required');
      if (!socket.rooms.has(roomId)) throw new ProtocolError(ErrorCode.NOT_IN_ROOM, `join ${roomId} first`);
      socket.to(roomId).emit(ServerEvent.ReceiptRead, { roomId, userId: data.userId, offset });
      return {};
    }));
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, '127.0.0.1', () => resolve());
  });
  return {
    io,
    http,
    port: (http.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}
