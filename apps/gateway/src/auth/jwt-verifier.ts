import { createSecretKey, KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { USER_ID_PATTERN } from '@chat/contracts';

export interface AuthenticatedUser {
  id: string;
  name?: string;
}

/**
 * The HMAC key, built once: given a string, jsonwebtoken first tries it as a PEM public key and
 * catches the failure, on every handshake (visible in the gateway's CPU profile).
 */
export function hmacKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/** Verifies an HS256 JWT (signature and exp) and returns its user, or null for any defect. */
export function verifyToken(token: unknown, key: KeyObject): AuthenticatedUser | null {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) return null;
  let claims: jwt.JwtPayload | string;
  try {
    claims = jwt.verify(token, key, { algorithms: ['HS256'] });
  } catch {
    return null;
  }
  if (typeof claims === 'string' || typeof claims.sub !== 'string' || !USER_ID_PATTERN.test(claims.sub)) return null;
  const name = typeof claims['name'] === 'string' ? claims['name'].slice(0, 100) : undefined;
  return { id: claims.sub, name };
}
