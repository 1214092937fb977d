import { ErrorCode } from '@chat/contracts';
import type { SocketData } from '../chat/chat-socket';
import type { TokenVerifier } from './token-verifier';

/** What the check reads and writes of a socket in its handshake. */
export interface AuthHandshake {
  readonly handshake: { readonly auth?: Readonly<Record<string, unknown>> };
  readonly data: Partial<SocketData>;
}

/**
 * Handshake check: the client's connect_error carries the protocol code as its message. A
 * verifier that cannot verify (key source down) gives UNAVAILABLE, so the client retries with
 * the same token instead of discarding it.
 */
export function socketAuthMiddleware(verifier: TokenVerifier, isAccepting: () => boolean, onVerifierError: (error: unknown) => void) {
  return (socket: AuthHandshake, next: (error?: Error) => void): void => {
    if (!isAccepting()) return next(new Error(ErrorCode.UNAVAILABLE));
    const token = socket.handshake.auth?.['token'];
    verifier.verify(token).then(
      (user) => {
        if (!user) return next(new Error(ErrorCode.UNAUTHORIZED));
        socket.data.user = user;
        next();
      },
      (error: unknown) => {
        onVerifierError(error);
        next(new Error(ErrorCode.UNAVAILABLE));
      },
    );
  };
}
