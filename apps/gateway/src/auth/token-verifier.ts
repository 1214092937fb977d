import type { AuthenticatedUser } from './token-claims';

/**
 * Verifies a handshake token. Resolves to the user, or null for any defect of the token
 * (UNAUTHORIZED); rejects only when verification itself is impossible, e.g. the JWKS endpoint
 * is unreachable (UNAVAILABLE: the token may be fine, the client should retry).
 */
export interface TokenVerifier {
  verify(token: unknown): Promise<AuthenticatedUser | null>;
}
