import { createSecretKey, KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AuthenticatedUser, ClaimsPolicy, userFromClaims } from './token-claims';
import { isTokenShaped } from '@chat/auth';
import type { TokenVerifier } from './token-verifier';

export type { AuthenticatedUser } from './token-claims';

/**
 * The HMAC key, built once: given a string, jsonwebtoken first tries it as a PEM public key and
 * catches the failure, on every handshake (visible in the gateway's CPU profile).
 */
export function hmacKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/** Verifies an HS256 JWT (signature, exp required and bounded) and returns its user, or null for any defect. */
export function verifyToken(token: unknown, key: KeyObject, policy: ClaimsPolicy): AuthenticatedUser | null {
  if (!isTokenShaped(token)) return null;
  let claims: jwt.JwtPayload | string;
  try {
    claims = jwt.verify(token, key, { algorithms: ['HS256'] });
  } catch {
    return null;
  }
  return typeof claims === 'string' ? null : userFromClaims(claims, policy);
}

/** HS256 with AUTH_JWT_SECRET: local use and the web client's development sign-in. */
export class Hs256Verifier implements TokenVerifier {
  private readonly key: KeyObject;

  constructor(secret: string, private readonly policy: ClaimsPolicy) {
    this.key = hmacKey(secret);
  }

  async verify(token: unknown): Promise<AuthenticatedUser | null> {
    return verifyToken(token, this.key, this.policy);
  }
}
