import { z } from 'zod';
import { DEV_JWT_SECRET, env } from '@chat/config';

/**
 * Who may read /analytics/* in production: a JWT with `ops` in its `roles` claim, verified like
 * the gateway's handshake tokens (the same variables: HS256 with AUTH_JWT_SECRET, or an identity
 * provider's keys at AUTH_JWKS_URL). Outside production the API is open (bound to loopback).
 */
export const opsAuthEnv = {
  AUTH_JWT_SECRET: env.string(DEV_JWT_SECRET),
  AUTH_JWKS_URL: env.optionalUrl(['https:', 'http:']),
  AUTH_JWT_ISSUER: z.string().min(1, 'must not be empty').optional(),
  AUTH_JWT_AUDIENCE: z.string().min(1, 'must not be empty').optional(),
  /** A token living longer than this (exp − iat) is refused, so a leaked one is useful only so long. */
  AUTH_MAX_TOKEN_LIFETIME_SEC: env.positiveInt(24 * 60 * 60),
};
export type OpsAuthEnv = z.output<z.ZodObject<typeof opsAuthEnv>>;

/** Start-up problems of the ops-auth variables (JWKS needs issuer and audience, https in production). */
export function opsAuthProblems(config: OpsAuthEnv & { NODE_ENV: string }): string[] {
  if (!config.AUTH_JWKS_URL) return [];
  const problems: string[] = [];
  if (!config.AUTH_JWT_ISSUER) problems.push('AUTH_JWT_ISSUER: required when AUTH_JWKS_URL is set');
  if (!config.AUTH_JWT_AUDIENCE) problems.push('AUTH_JWT_AUDIENCE: required when AUTH_JWKS_URL is set');
  if (config.NODE_ENV === 'production' && !config.AUTH_JWKS_URL.startsWith('https:')) {
    problems.push('AUTH_JWKS_URL: expected an https URL in production (the keys decide who may read analytics)');
  }
  return problems;
}
