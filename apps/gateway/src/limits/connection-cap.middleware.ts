import type { Socket } from 'socket.io';
import { ErrorCode } from '@chat/contracts';
import type { AuthenticatedUser } from '../auth/jwt-verifier';
import { ConnectionRegistry } from './connection-registry';

/**
 * Handshake step after authentication: counts the connection against its user's cap (the
 * client's connect_error says TOO_MANY_CONNECTIONS beyond it) and hands it its rate limiter.
 */
export function connectionCapMiddleware(registry: ConnectionRegistry) {
  return (socket: Socket, next: (error?: Error) => void): void => {
    const user = socket.data.user as AuthenticatedUser;
    const limiter = registry.open(user.id, socket.id);
    if (!limiter) return next(new Error(ErrorCode.TOO_MANY_CONNECTIONS));
    socket.data.limiter = limiter;
    // A client gone before Socket.IO completes the connection never gets a disconnect event.
    socket.conn.once('close', () => registry.close(socket.id));
    next();
  };
}
