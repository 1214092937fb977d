import { performance } from 'node:perf_hooks';
import jwt from 'jsonwebtoken';
import { io, Socket } from 'socket.io-client';
import { CHAT_NAMESPACE, ClientToServerEvents, ServerToClientEvents } from '@chat/contracts';
import { LatencyHistogram } from './histogram';

/** A protocol v1 token: HS256, sub = user id. */
export function signToken(userId: string, secret: string, expiresInSec = 3600): string {
  return jwt.sign({ sub: userId, name: userId }, secret, { algorithm: 'HS256', expiresIn: expiresInSec });
}

/** A protocol v1 client socket, typed by the contracts' event maps. */
export type ChatClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectOutcome {
  socket?: ChatClientSocket;
  error?: string;
  ms: number;
}

/** One Socket.IO connection of its own (no multiplexing), websocket transport, no reconnection. */
export function connectSocket(baseUrl: string, token: string, timeoutMs = 20_000): Promise<ConnectOutcome> {
  const started = performance.now();
  const socket: ChatClientSocket = io(baseUrl + CHAT_NAMESPACE, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: timeoutMs,
  });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket, ms: performance.now() - started }));
    socket.once('connect_error', (error: Error) => {
      socket.close();
      resolve({ error: error.message || 'connect_error', ms: performance.now() - started });
    });
  });
}

/** Runs `work` over 0..count-1 with at most `concurrency` in flight; stops early when `abort()` says so. */
export async function forEachLimited(
  count: number,
  concurrency: number,
  work: (index: number) => Promise<void>,
  abort: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count && !abort()) {
      const index = next++;
      await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export interface ConnectStats {
  attempted: number;
  connected: number;
  failed: number;
  errors: Record<string, number>;
  /** Wall time from the first handshake to the last answer. */
  wallMs: number;
  /** Connections established per second of wall time. */
  perSec: number;
  latency: LatencyHistogram;
}

/** Connects `count` sockets (urlFor(i), tokenFor(i)) with bounded concurrency. */
export async function connectMany(
  count: number,
  concurrency: number,
  urlFor: (i: number) => string,
  tokenFor: (i: number) => string,
  onSocket: (i: number, socket: ChatClientSocket) => void,
  abort: () => boolean = () => false,
): Promise<ConnectStats> {
  const latency = new LatencyHistogram();
  const errors: Record<string, number> = {};
  let connected = 0;
  let failed = 0;
  const started = performance.now();
  await forEachLimited(
    count,
    concurrency,
    async (i) => {
      const outcome = await connectSocket(urlFor(i), tokenFor(i));
      if (outcome.socket) {
        connected++;
        latency.recordMs(outcome.ms);
        onSocket(i, outcome.socket);
      } else {
        failed++;
        const key = outcome.error ?? 'unknown';
        errors[key] = (errors[key] ?? 0) + 1;
      }
    },
    abort,
  );
  const wallMs = performance.now() - started;
  return { attempted: count, connected, failed, errors, wallMs, perSec: wallMs > 0 ? (connected * 1000) / wallMs : 0, latency };
}
