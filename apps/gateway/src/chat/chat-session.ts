import type { ClientEvent } from '@chat/contracts';
import { AuthenticatedUser } from '../auth/token-claims';

/** What the chat logic needs of one client connection; the Socket.IO gateway adapts a socket to it. */
export interface ChatSession {
  /** The Socket.IO socket id: this connection's id in presence events and signal origins. */
  readonly connectionId: string;
  readonly user: AuthenticatedUser;
  /** Throws RATE_LIMITED when the connection or its user is over the event's rate. */
  readonly limiter: { admit(event: ClientEvent): void };
  isIn(roomId: string): boolean;
  /** Rooms joined, not counting the socket's own room. */
  roomCount(): number;
  join(roomId: string): void;
  leave(roomId: string): void;
}
