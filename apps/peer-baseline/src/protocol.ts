import jwt from 'jsonwebtoken';
import { ErrorCode, MAX_BODY_LENGTH, parseRoomId, ProtocolError, USER_ID_PATTERN } from '@chat/contracts';

/**
 * The checks a hand-written Socket.IO chat server would make: plain typeof and regex tests
 * with protocol v1's limits and error codes (no schema library).
 */
export function verifyToken(token: unknown, secret: string): { id: string } | null {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) return null;
  try {
    const claims = jwt.verify(token, secret, { algorithms: ['HS256'] });
    if (typeof claims === 'string' || typeof claims.sub !== 'string' || !USER_ID_PATTERN.test(claims.sub)) return null;
    return { id: claims.sub };
  } catch {
    return null;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(message: string): never {
  throw new ProtocolError(ErrorCode.INVALID_PAYLOAD, message);
}

export function roomIdOf(payload: unknown): string {
  if (!isObject(payload) || typeof payload['roomId'] !== 'string' || payload['roomId'].length > 200 || !parseRoomId(payload['roomId'])) {
    invalid('roomId must be a public room id or dm:<a>:<b>');
  }
  return payload['roomId'] as string;
}

export interface SendRequest {
  roomId: string;
  clientMsgId: string;
  body: string;
}

export function sendRequestOf(payload: unknown): SendRequest {
  const roomId = roomIdOf(payload);
  const { clientMsgId, body } = payload as Record<string, unknown>;
  if (typeof body === 'string' && body.length > MAX_BODY_LENGTH) {
    throw new ProtocolError(ErrorCode.PAYLOAD_TOO_LARGE, `body is longer than ${MAX_BODY_LENGTH} characters`);
  }
  if (typeof clientMsgId !== 'string' || clientMsgId.length < 1 || clientMsgId.length > 128) invalid('clientMsgId must be 1-128 characters');
  if (typeof body !== 'string' || body.length < 1) invalid('body must be 1-4000 characters');
  return { roomId, clientMsgId, body };
}

export function optionalOffset(payload: unknown, key: string): number | undefined {
  const value = (payload as Record<string, unknown>)[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) invalid(`${key} must be a non-negative integer`);
  return value;
}

/** Per-connection token bucket, as protocol v1 rate-limits message:send. */
export class TokenBucket {
  private tokens: number;
  private last = Date.now();

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  tryTake(now = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSec);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
