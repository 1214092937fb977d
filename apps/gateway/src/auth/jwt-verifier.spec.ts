import jwt from 'jsonwebtoken';
import { Hs256Verifier, hmacKey, verifyToken } from './jwt-verifier';

const SECRET = 'test-secret';
const KEY = hmacKey(SECRET);
const POLICY = { maxLifetimeSec: 24 * 60 * 60 };
const now = () => Math.floor(Date.now() / 1000);

describe('verifyToken (HS256)', () => {
  it('accepts a valid token and returns its user', () => {
    const token = jwt.sign({ sub: 'alice', name: 'Alice' }, SECRET, { expiresIn: 60 });
    expect(verifyToken(token, KEY, POLICY)).toEqual({ id: 'alice', name: 'Alice' });
  });

  it('refuses a forged token', () => {
    const token = jwt.sign({ sub: 'alice' }, 'another-secret', { expiresIn: 60 });
    expect(verifyToken(token, KEY, POLICY)).toBeNull();
  });

  it('refuses an expired token', () => {
    const token = jwt.sign({ sub: 'alice', exp: now() - 10 }, SECRET);
    expect(verifyToken(token, KEY, POLICY)).toBeNull();
  });

  it('refuses a token without exp: it would never expire', () => {
    expect(verifyToken(jwt.sign({ sub: 'alice' }, SECRET), KEY, POLICY)).toBeNull();
    expect(verifyToken(jwt.sign({ sub: 'alice', iat: now() }, SECRET), KEY, POLICY)).toBeNull();
  });

  it('refuses a lifetime above AUTH_MAX_TOKEN_LIFETIME_SEC, with or without iat', () => {
    const max = POLICY.maxLifetimeSec;
    expect(verifyToken(jwt.sign({ sub: 'alice' }, SECRET, { expiresIn: max }), KEY, POLICY)).not.toBeNull();
    expect(verifyToken(jwt.sign({ sub: 'alice' }, SECRET, { expiresIn: max + 60 }), KEY, POLICY)).toBeNull();
    expect(verifyToken(jwt.sign({ sub: 'alice', exp: now() + 365 * 86400 }, SECRET, { noTimestamp: true }), KEY, POLICY)).toBeNull();
    // An iat in the future does not make a far-off exp look short.
    const exp = now() + 30 * 86400;
    expect(verifyToken(jwt.sign({ sub: 'alice', iat: exp - 60, exp }, SECRET), KEY, POLICY)).toBeNull();
  });

  it('refuses another algorithm, a bad subject, or no token at all', () => {
    const opts = { expiresIn: 60 } as const;
    expect(verifyToken(jwt.sign({ sub: 'alice' }, SECRET, { ...opts, algorithm: 'HS512' }), KEY, POLICY)).toBeNull();
    expect(verifyToken(jwt.sign({ sub: 'bad user!' }, SECRET, opts), KEY, POLICY)).toBeNull();
    expect(verifyToken(jwt.sign({ name: 'nobody' }, SECRET, opts), KEY, POLICY)).toBeNull();
    expect(verifyToken(undefined, KEY, POLICY)).toBeNull();
    expect(verifyToken('not-a-jwt', KEY, POLICY)).toBeNull();
  });
});

describe('Hs256Verifier', () => {
  it('verifies with the configured secret and policy', async () => {
    const verifier = new Hs256Verifier(SECRET, { maxLifetimeSec: 60 });
    await expect(verifier.verify(jwt.sign({ sub: 'bob' }, SECRET, { expiresIn: 60 }))).resolves.toEqual({ id: 'bob' });
    await expect(verifier.verify(jwt.sign({ sub: 'bob' }, SECRET, { expiresIn: 3600 }))).resolves.toBeNull();
  });
});
