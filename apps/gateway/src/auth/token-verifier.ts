import type { AuthenticatedUser } from './token-claims';

/**
 * Verifies a handshake token. Resolves to the user, or null for any defect of the token
 * (UNAUTHORIZED); rejects only when verification itself is impossible, e.g. the JWKS endpoint
 * is unreachable (UNAVAILABLE: the token may be fine, the client should retry).
 */
export interface TokenVerifier {
  verify(token: unknown): Promise<AuthenticatedUser | null>;
}

/** Longer tokens are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 4096;

export function isTokenShaped(token: unknown): token is string {
  return typeof token === 'string' && token.length > 0 && token.length <= MAX_TOKEN_LENGTH;
}
