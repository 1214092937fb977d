import jwt from 'jsonwebtoken';
import { io, Socket } from 'socket.io-client';
import {
  Ack,
  CHAT_NAMESPACE,
  ClientEvent,
  ClientEventRequests,
  ClientEventResults,
  ClientToServerEvents,
  Message,
  ServerEvent,
  ServerEventPayloads,
  ServerToClientEvents,
} from '@chat/contracts';
import { E2E } from './stack';

/** A protocol v1 client socket, typed by the contracts' event maps. */
export type ChatClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type TimedSocket = ReturnType<ChatClientSocket['timeout']>;

const ACK_TIMEOUT_MS = 6000;

/**
 * One typed emit per client event: socket.io-client cannot check an emit whose event is a type
 * parameter, each of these is checked against ClientToServerEvents.
 */
const EMITS: { [E in ClientEvent]: (socket: TimedSocket, request: ClientEventRequests[E]) => Promise<Ack<ClientEventResults[E]>> } = {
  'room:join': (socket, request) => socket.emitWithAck('room:join', request),
  'room:leave': (socket, request) => socket.emitWithAck('room:leave', request),
  'message:send': (socket, request) => socket.emitWithAck('message:send', request),
  'history:fetch': (socket, request) => socket.emitWithAck('history:fetch', request),
  typing: (socket, request) => socket.emitWithAck('typing', request),
  'receipt:read': (socket, request) => socket.emitWithAck('receipt:read', request),
};

export function tokenFor(userId: string, secret = E2E.jwtSecret, expiresIn = 600): string {
  return jwt.sign({ sub: userId, name: userId }, secret, { algorithm: 'HS256', expiresIn });
}

/** One typed listener per server event, for the same reason. */
const LISTENS: { [E in ServerEvent]: (socket: ChatClientSocket, listener: (payload: ServerEventPayloads[E]) => void) => void } = {
  'message:new': (socket, listener) => socket.on('message:new', listener),
  'presence:update': (socket, listener) => socket.on('presence:update', listener),
  typing: (socket, listener) => socket.on('typing', listener),
  'receipt:read': (socket, listener) => socket.on('receipt:read', listener),
};

/** A connected protocol v1 client that records every message:new it receives. */
export class TestClient {
  readonly received: Message[] = [];
  /** The same socket without the event maps: for payloads that break the protocol on purpose. */
  readonly wire: Socket;

  private constructor(readonly socket: ChatClientSocket) {
    this.wire = socket;
    socket.on('message:new', (m) => this.received.push(m));
  }

  static async connect(port: number, userId: string): Promise<TestClient> {
    const socket: ChatClientSocket = io(`http://127.0.0.1:${port}${CHAT_NAMESPACE}`, {
      auth: { token: tokenFor(userId) },
      transports: ['websocket'],
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return new TestClient(socket);
  }

  emit<E extends ClientEvent>(event: E, request: ClientEventRequests[E]): Promise<Ack<ClientEventResults[E]>> {
    return EMITS[event](this.socket.timeout(ACK_TIMEOUT_MS), request);
  }

  on<E extends ServerEvent>(event: E, listener: (payload: ServerEventPayloads[E]) => void): void {
    LISTENS[event](this.socket, listener);
  }

  /** Any event with any payload, as a hostile or broken client sends it; the gateway still acks. */
  emitRaw(event: string, payload?: unknown): Promise<Ack<Record<string, unknown>>> {
    return this.wire.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
  }

  /** The ok-ack's result, or a test failure naming the error. */
  async ok<E extends ClientEvent>(event: E, request: ClientEventRequests[E]): Promise<ClientEventResults[E]> {
    const ack = await this.emit(event, request);
    if (!ack.ok) throw new Error(`${event} failed: ${ack.error.code} ${ack.error.message}`);
    return ack;
  }

  async waitForMessages(count: number, timeoutMs = 20_000): Promise<Message[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count && Date.now() < deadline) await sleep(20);
    return this.received;
  }

  close(): void {
    this.socket.close();
  }
}

/** Resolves with the connect_error message of a refused handshake. */
export function refusedWith(port: number, auth: Record<string, unknown>): Promise<string> {
  const socket = io(`http://127.0.0.1:${port}${CHAT_NAMESPACE}`, { auth, transports: ['websocket'], reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.close();
      reject(new Error('the handshake was accepted'));
    });
    socket.once('connect_error', (error) => {
      socket.close();
      resolve(error.message);
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function uniqueRoom(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Retries an assertion until it passes or the time is up (for effects that land asynchronously). */
export async function expectEventually(assertion: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/**
 * A room as a client has it after joining: the join answer, then the messages that came live,
 * once each. A message acked on another gateway just before the join may be in either (ADR 0007,
 * 0009): waits until every `expected` message after the answer's last one has arrived live.
 */
export async function joinedThenLive(client: TestClient, answer: readonly Message[], expected: readonly Message[]): Promise<Message[]> {
  const answeredUpTo = answer.length > 0 ? answer[answer.length - 1].offset : -1;
  await client.waitForMessages(expected.filter((m) => m.offset > answeredUpTo).length);
  return [...new Map([...answer, ...client.received].map((m) => [m.messageId, m])).values()];
}
