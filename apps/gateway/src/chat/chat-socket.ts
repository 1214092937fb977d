import type { Namespace, Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents } from '@chat/contracts';
import type { AuthenticatedUser } from '../auth/token-claims';
import type { EventRateLimiter } from '../limits/event-rate-limiter';
import type { ChatSession } from './chat-session';

/** What the gateway keeps on each connection (Socket.IO's socket.data). */
export interface SocketData {
  /** Set by the auth middleware. */
  user: AuthenticatedUser;
  /** Set by the connection-cap middleware. */
  limiter: EventRateLimiter;
  /** Set when the connection is accepted: what ChatService sees of the socket. */
  session: ChatSession;
}

/** The /chat namespace, typed by protocol v1's event maps. */
export type ChatNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** A connected socket: every SocketData field is set. */
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** A socket while its handshake and connection run: the steps fill its data in one after another. */
export type HandshakeSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, Partial<SocketData>>;
