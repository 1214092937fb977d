import jwt from 'jsonwebtoken';
import { USER_ID_PATTERN } from '@chat/contracts';

/** Lifetime of a development token. */
export const DEV_TOKEN_TTL_SEC = 12 * 60 * 60;
/** The gateway keeps at most this many characters of the `name` claim. */
export const MAX_NAME_LENGTH = 100;

export interface DevTokenRequest {
  userId: string;
  name: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

// C0/C1 control characters (including newlines): never useful in a display name.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Validates the JSON body of POST /dev/token: `userId` must be a protocol user id
 * (USER_ID_PATTERN), `name` is optional (defaults to the user id). Unknown fields are ignored.
 */
export function parseDevTokenRequest(body: unknown): Parsed<DevTokenRequest> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, message: 'expected a JSON object like {"userId":"alice","name":"Alice"}' };
  }
  const { userId, name } = body as { userId?: unknown; name?: unknown };
  if (typeof userId !== 'string' || !USER_ID_PATTERN.test(userId)) {
    return { ok: false, message: 'userId must be 1-64 characters of A-Z a-z 0-9 _ . - (for example "alice")' };
  }
  if (name === undefined || name === null) return { ok: true, value: { userId, name: userId } };
  if (typeof name !== 'string') return { ok: false, message: 'name must be a string' };
  const trimmed = name.trim();
  if (trimmed.length > MAX_NAME_LENGTH) return { ok: false, message: `name must be at most ${MAX_NAME_LENGTH} characters` };
  if (CONTROL_CHARS.test(trimmed)) return { ok: false, message: 'name must not contain control characters' };
  return { ok: true, value: { userId, name: trimmed || userId } };
}

/** An HS256 JWT the gateways accept: `sub` = user id, `name`, `iat`, `exp` = now + 12 h. */
export function mintDevToken(request: DevTokenRequest, secret: string, nowSec = Math.floor(Date.now() / 1000)): string {
  return jwt.sign({ sub: request.userId, name: request.name, iat: nowSec, exp: nowSec + DEV_TOKEN_TTL_SEC }, secret, {
    algorithm: 'HS256',
  });
}
