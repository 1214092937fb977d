import jwt from 'jsonwebtoken';
import { DEV_TOKEN_TTL_SEC, mintDevToken, parseDevTokenRequest } from './dev-token';

describe('dev tokens', () => {
  describe('parseDevTokenRequest', () => {
    it('accepts a protocol user id, with the name defaulting to it', () => {
      expect(parseDevTokenRequest({ userId: 'alice' })).toEqual({ ok: true, value: { userId: 'alice', name: 'alice' } });
      expect(parseDevTokenRequest({ userId: 'Bob_1.x-y', name: '  Bob Builder ' })).toEqual({
        ok: true,
        value: { userId: 'Bob_1.x-y', name: 'Bob Builder' },
      });
      expect(parseDevTokenRequest({ userId: 'a'.repeat(64), name: '', extra: 1 })).toEqual({
        ok: true,
        value: { userId: 'a'.repeat(64), name: 'a'.repeat(64) },
      });
    });

    it.each([
      ['no object', null],
      ['an array', ['alice']],
      ['a string', 'alice'],
      ['no user id', {}],
      ['an empty user id', { userId: '' }],
      ['a user id too long', { userId: 'a'.repeat(65) }],
      ['a space', { userId: 'al ice' }],
      ['a colon (would break dm: ids)', { userId: 'a:b' }],
      ['markup', { userId: '<script>' }],
      ['a number', { userId: 42 }],
      ['a name that is not a string', { userId: 'alice', name: 7 }],
      ['a name too long', { userId: 'alice', name: 'n'.repeat(101) }],
      ['a control character in the name', { userId: 'alice', name: 'a\nb' }],
    ])('refuses %s with a message', (_, body) => {
      const parsed = parseDevTokenRequest(body);
      expect(parsed.ok).toBe(false);
      expect(parsed.ok === false && parsed.message.length).toBeGreaterThan(10);
    });
  });

  describe('mintDevToken', () => {
    it('signs an HS256 JWT with sub, name and a 12 h expiry that verifies with the secret', () => {
      const now = Math.floor(Date.now() / 1000);
      const token = mintDevToken({ userId: 'alice', name: 'Alice' }, 'the-secret', now);
      expect(jwt.decode(token, { complete: true })?.header).toEqual({ alg: 'HS256', typ: 'JWT' });
      const claims = jwt.verify(token, 'the-secret', { algorithms: ['HS256'] }) as jwt.JwtPayload;
      expect(claims).toEqual({ sub: 'alice', name: 'Alice', iat: now, exp: now + DEV_TOKEN_TTL_SEC });
      expect(DEV_TOKEN_TTL_SEC).toBe(12 * 60 * 60);
    });

    it('is refused with another secret, and once expired', () => {
      const token = mintDevToken({ userId: 'alice', name: 'alice' }, 'the-secret');
      expect(() => jwt.verify(token, 'other-secret', { algorithms: ['HS256'] })).toThrow('invalid signature');
      const old = mintDevToken({ userId: 'alice', name: 'alice' }, 'the-secret', Math.floor(Date.now() / 1000) - DEV_TOKEN_TTL_SEC - 1);
      expect(() => jwt.verify(old, 'the-secret', { algorithms: ['HS256'] })).toThrow('jwt expired');
    });
  });
});
