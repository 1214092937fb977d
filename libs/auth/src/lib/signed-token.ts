import { JWTPayload, jwtVerify, JWTVerifyGetKey, JWTVerifyOptions } from 'jose';
import type { KeyObject } from 'node:crypto';

/** Longer tokens are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 4096;

/** Asymmetric only: with a JWKS, an HS* token would mean a key the issuer's public set exposes. */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** jose error codes that mean "this token is not acceptable"; any other failure (ERR_JWKS_TIMEOUT…) is the key source's. */
const TOKEN_DEFECTS = new Set([
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_EXPIRED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
]);

export function isTokenShaped(token: unknown): token is string {
  return typeof token === 'string' && token.length > 0 && token.length <= MAX_TOKEN_LENGTH;
}

/**
 * The claims of a token whose signature and registered claims hold, or null for any defect of
 * the token itself. Rejects only when verification is impossible (an unreachable JWKS, say):
 * the token may be fine, so the caller answers "unavailable", not "unauthorized".
 */
export async function verifiedClaims(token: unknown, key: JWTVerifyGetKey | KeyObject, options: JWTVerifyOptions): Promise<JWTPayload | null> {
  if (!isTokenShaped(token)) return null;
  try {
    // jose's overloads split on the key's kind; both branches verify the same way.
    const { payload } = typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
    return payload;
  } catch (error) {
    if (TOKEN_DEFECTS.has(String((error as { code?: unknown }).code))) return null;
    throw error;
  }
}
