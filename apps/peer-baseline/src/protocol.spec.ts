import jwt from 'jsonwebtoken';
import { ErrorCode } from '@chat/contracts';
import { optionalOffset, roomIdOf, sendRequestOf, TokenBucket, verifyToken } from './protocol';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('peer protocol checks', () => {
  it('verifies HS256 tokens with a valid sub, and nothing else', () => {
    expect(verifyToken(jwt.sign({ sub: 'alice' }, 's'), 's')).toEqual({ id: 'alice' });
    expect(verifyToken(jwt.sign({ sub: 'alice' }, 'other'), 's')).toBeNull();
    expect(verifyToken(jwt.sign({ sub: 'bad user' }, 's'), 's')).toBeNull();
    expect(verifyToken(jwt.sign({ sub: 'alice' }, 's', { algorithm: 'HS512' }), 's')).toBeNull();
    expect(verifyToken(jwt.sign({ sub: 'alice', exp: Math.floor(Date.now() / 1000) - 5 }, 's'), 's')).toBeNull();
    expect(verifyToken(undefined, 's')).toBeNull();
  });

  it('validates payloads with the protocol codes', () => {
    expect(roomIdOf({ roomId: 'general' })).toBe('general');
    expect(codeOf(() => roomIdOf({ roomId: 'Bad Room' }))).toBe(ErrorCode.INVALID_PAYLOAD);
    expect(codeOf(() => roomIdOf(null))).toBe(ErrorCode.INVALID_PAYLOAD);
    expect(codeOf(() => roomIdOf('general'))).toBe(ErrorCode.INVALID_PAYLOAD);
    expect(sendRequestOf({ roomId: 'general', clientMsgId: 'c1', body: 'hi' })).toEqual({ roomId: 'general', clientMsgId: 'c1', body: 'hi' });
    expect(codeOf(() => sendRequestOf({ roomId: 'general', clientMsgId: 'c1', body: 'x'.repeat(4001) }))).toBe(ErrorCode.PAYLOAD_TOO_LARGE);
    expect(codeOf(() => sendRequestOf({ roomId: 'general', clientMsgId: '', body: 'hi' }))).toBe(ErrorCode.INVALID_PAYLOAD);
    expect(codeOf(() => sendRequestOf({ roomId: 'general', clientMsgId: 'c', body: '' }))).toBe(ErrorCode.INVALID_PAYLOAD);
    expect(optionalOffset({}, 'sinceOffset')).toBeUndefined();
    expect(optionalOffset({ sinceOffset: 3 }, 'sinceOffset')).toBe(3);
    expect(codeOf(() => optionalOffset({ sinceOffset: -1 }, 'sinceOffset'))).toBe(ErrorCode.INVALID_PAYLOAD);
  });

  it('rate-limits with a token bucket: a burst, then the rate', () => {
    const bucket = new TokenBucket(2, 3);
    const t0 = Date.now();
    expect([1, 2, 3, 4].map(() => bucket.tryTake(t0))).toEqual([true, true, true, false]);
    expect(bucket.tryTake(t0 + 500)).toBe(true);
    expect(bucket.tryTake(t0 + 500)).toBe(false);
  });
});
