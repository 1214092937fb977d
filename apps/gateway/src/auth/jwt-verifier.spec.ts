import jwt from 'jsonwebtoken';
import { hmacKey, verifyToken } from './jwt-verifier';

const SECRET = 'test-secret';
const KEY = hmacKey(SECRET);

describe('verifyToken', () => {
  it('accepts a valid token and returns its user', () => {
    const token = jwt.sign({ sub: 'alice', name: 'Alice' }, SECRET, { expiresIn: 60 });
    expect(verifyToken(token, KEY)).toEqual({ id: 'alice', name: 'Alice' });
  });

  it('refuses a forged token', () => {
    const token = jwt.sign({ sub: 'alice' }, 'another-secret');
    expect(verifyToken(token, KEY)).toBeNull();
  });

  it('refuses an expired token', () => {
    const token = jwt.sign({ sub: 'alice', exp: Math.floor(Date.now() / 1000) - 10 }, SECRET);
    expect(verifyToken(token, KEY)).toBeNull();
  });

  it('refuses another algorithm, a bad subject, or no token at all', () => {
    expect(verifyToken(jwt.sign({ sub: 'alice' }, SECRET, { algorithm: 'HS512' }), KEY)).toBeNull();
    expect(verifyToken(jwt.sign({ sub: 'bad user!' }, SECRET), KEY)).toBeNull();
    expect(verifyToken(jwt.sign({ name: 'nobody' }, SECRET), KEY)).toBeNull();
    expect(verifyToken(undefined, KEY)).toBeNull();
    expect(verifyToken('not-a-jwt', KEY)).toBeNull();
  });
});
