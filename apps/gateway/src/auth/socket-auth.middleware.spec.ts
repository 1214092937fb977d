import { ErrorCode } from '@chat/contracts';
import { AuthHandshake, socketAuthMiddleware } from './socket-auth.middleware';
import type { TokenVerifier } from './token-verifier';

function handshake(verifier: TokenVerifier, accepting = true) {
  const onVerifierError = jest.fn();
  const socket: AuthHandshake = { handshake: { auth: { token: 't' } }, data: {} };
  const done = new Promise<Error | undefined>((resolve) => socketAuthMiddleware(verifier, () => accepting, onVerifierError)(socket, resolve));
  return { socket, done, onVerifierError };
}

describe('socketAuthMiddleware', () => {
  it('admits the verified user', async () => {
    const { socket, done } = handshake({ verify: async () => ({ id: 'alice' }) });
    expect(await done).toBeUndefined();
    expect(socket.data.user).toEqual({ id: 'alice' });
  });

  it('refuses a token the verifier rejects with UNAUTHORIZED', async () => {
    const { socket, done } = handshake({ verify: async () => null });
    expect((await done)?.message).toBe(ErrorCode.UNAUTHORIZED);
    expect(socket.data.user).toBeUndefined();
  });

  it('answers UNAVAILABLE when the verifier cannot verify (key source down), and reports it', async () => {
    const failure = new Error('JWKS fetch failed');
    const { done, onVerifierError } = handshake({ verify: async () => Promise.reject(failure) });
    expect((await done)?.message).toBe(ErrorCode.UNAVAILABLE);
    expect(onVerifierError).toHaveBeenCalledWith(failure);
  });

  it('answers UNAVAILABLE while draining, without verifying', async () => {
    const verify = jest.fn(async () => ({ id: 'alice' }));
    const { done } = handshake({ verify }, false);
    expect((await done)?.message).toBe(ErrorCode.UNAVAILABLE);
    expect(verify).not.toHaveBeenCalled();
  });
});
