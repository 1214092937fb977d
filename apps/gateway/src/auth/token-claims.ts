import { USER_ID_PATTERN } from '@chat/contracts';

export interface AuthenticatedUser {
  id: string;
  name?: string;
}

/** Checks a verifier needs: a token must expire, and not too far ahead. */
export interface ClaimsPolicy {
  /** AUTH_MAX_TOKEN_LIFETIME_SEC: a stolen token is useful for at most this long. */
  maxLifetimeSec: number;
}

/**
 * The user of claims whose signature (and exp, if any) the library has verified, or null: `exp`
 * is required, and the lifetime, from `iat` (or now, if later or absent) to `exp`, is bounded,
 * so a token minted without expiry, or with a far-off one, is never accepted.
 */
export function userFromClaims(claims: Record<string, unknown>, policy: ClaimsPolicy, nowSec = Math.floor(Date.now() / 1000)): AuthenticatedUser | null {
  const { exp, iat, sub } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return null;
  if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat))) return null;
  // A future iat must not shorten the measured lifetime: count from now at the latest.
  const from = Math.min(typeof iat === 'number' ? iat : nowSec, nowSec);
  if (exp - from > policy.maxLifetimeSec) return null;
  if (typeof sub !== 'string' || !USER_ID_PATTERN.test(sub)) return null;
  const name = typeof claims['name'] === 'string' ? claims['name'].slice(0, 100) : undefined;
  return { id: sub, name };
}
