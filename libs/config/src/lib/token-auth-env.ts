import { z } from 'zod';
import { env } from './load-config';
import { DEV_JWT_SECRET } from './security-env';

/**
 * How a service verifies bearer JWTs: HS256 with AUTH_JWT_SECRET, or an identity provider's keys
 * at AUTH_JWKS_URL. The gateway checks handshake tokens with it, analytics its operators' tokens.
 */
export const tokenAuthEnv = {
  /** HS256 secret; unused when AUTH_JWKS_URL is set. */
  AUTH_JWT_SECRET: env.string(DEV_JWT_SECRET),
  /** An identity provider's public keys: tokens must then be signed by one of them (RS/PS/ES/EdDSA). */
  AUTH_JWKS_URL: env.optionalUrl(['https:', 'http:']),
  /** Required with AUTH_JWKS_URL: the `iss` and `aud` every token must carry. */
  AUTH_JWT_ISSUER: z.string().min(1, 'must not be empty').optional(),
  AUTH_JWT_AUDIENCE: z.string().min(1, 'must not be empty').optional(),
  /** Tokens must have `exp`, at most this far after `iat` (or now): a leaked one is useful only so long. */
  AUTH_MAX_TOKEN_LIFETIME_SEC: env.positiveInt(24 * 60 * 60),
};
export type TokenAuthEnv = z.output<z.ZodObject<typeof tokenAuthEnv>>;

/** Start-up problems of the token variables (JWKS needs issuer and audience, and https in production). */
export function tokenAuthProblems(config: TokenAuthEnv & { NODE_ENV: string }, keysDecide: string): string[] {
  if (!config.AUTH_JWKS_URL) return [];
  const problems: string[] = [];
  if (!config.AUTH_JWT_ISSUER) problems.push('AUTH_JWT_ISSUER: required when AUTH_JWKS_URL is set');
  if (!config.AUTH_JWT_AUDIENCE) problems.push('AUTH_JWT_AUDIENCE: required when AUTH_JWKS_URL is set');
  if (config.NODE_ENV === 'production' && !config.AUTH_JWKS_URL.startsWith('https:')) {
    problems.push(`AUTH_JWKS_URL: expected an https URL in production (the keys decide ${keysDecide})`);
  }
  return problems;
}
