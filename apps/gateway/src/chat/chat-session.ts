import { AuthenticatedUser } from '../auth/token-claims';
import { TokenBucket } from '../rate-limit/token-bucket';

/** What the chat logic needs of one client connection; the Socket.IO gateway adapts a socket to it. */
export interface ChatSession {
  /** The Socket.IO socket id: this connection's id in presence events and signal origins. */
  readonly connectionId: string;
  readonly user: AuthenticatedUser;
  readonly sendBucket: TokenBucket;
  isIn(roomId: string): boolean;
  join(roomId: string): void;
  leave(roomId: string): void;
}
