import type { Socket } from 'socket.io';
import { ErrorCode } from '@chat/contracts';
import { hmacKey, verifyToken } from './jwt-verifier';

/** Handshake check: the client's connect_error carries the protocol code as its message. */
export function socketAuthMiddleware(secret: string, isAccepting: () => boolean) {
  const key = hmacKey(secret);
  return (socket: Socket, next: (error?: Error) => void): void => {
    if (!isAccepting()) return next(new Error(ErrorCode.UNAVAILABLE));
    const user = verifyToken((socket.handshake.auth as { token?: unknown } | undefined)?.token, key);
    if (!user) return next(new Error(ErrorCode.UNAUTHORIZED));
    socket.data.user = user;
    next();
  };
}
