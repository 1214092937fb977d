import { ErrorCode } from '@chat/contracts';
import type { SocketData } from '../chat/chat-socket';
import { ConnectionRegistry } from './connection-registry';

/** What the step reads and writes of a socket in its handshake. */
export interface CapHandshake {
  readonly id: string;
  readonly data: Partial<SocketData>;
  /** The underlying transport connection. */
  readonly conn: { once(event: 'close', listener: () => void): unknown };
}

/**
 * Handshake step after authentication: counts the connection against its user's cap (the
 * client's connect_error says TOO_MANY_CONNECTIONS beyond it) and hands it its rate limiter.
 */
export function connectionCapMiddleware(registry: ConnectionRegistry) {
  return (socket: CapHandshake, next: (error?: Error) => void): void => {
    const { user } = socket.data;
    // Runs after authentication, which refuses a socket without a user before this step.
    if (!user) return next(new Error(ErrorCode.UNAUTHORIZED));
    const limiter = registry.open(user.id, socket.id);
    if (!limiter) return next(new Error(ErrorCode.TOO_MANY_CONNECTIONS));
    socket.data.limiter = limiter;
    // A client gone before Socket.IO completes the connection never gets a disconnect event.
    socket.conn.once('close', () => registry.close(socket.id));
    next();
  };
}
