import jwt from 'jsonwebtoken';
import { verifyToken } from './jwt-verifier';

const SECRET = 'test-secret';

describe('verifyToken', () => {
  it('accepts a valid token and returns its user', () => {
    const token = jwt.sign({ sub: 'alice', name: 'Alice' }, SECRET, { expiresIn: 60 });
    expect(verifyToken(token, SECRET)).toEqual({ id: 'alice', name: 'Alice' });
  });

  it('refuses a forged token', () => {
    const token = jwt.sign({ sub: 'alice' }, 'another-secret');
    expect(verifyToken(token, SECRET)).toBeNull();
  });

  it('refuses an expired token', () => {
    const token = jwt.sign({ sub: 'alice', exp: Math.floor(Date.now() / 1000) - 10 }, SECRET);
    expect(verifyToken(token, SECRET)).toBeNull();
  });

  it('refuses another algorithm, a bad subject, or no token at all', () => {
    expect(verifyToken(jwt.sign({ sub: 'alice' }, SECRET, { algorithm: 'HS512' }), SECRET)).toBeNull();
    expect(verifyToken(jwt.sign({ sub: 'bad user!' }, SECRET), SECRET)).toBeNull();
    expect(verifyToken(jwt.sign({ name: 'nobody' }, SECRET), SECRET)).toBeNull();
    expect(verifyToken(undefined, SECRET)).toBeNull();
    expect(verifyToken('not-a-jwt', SECRET)).toBeNull();
  });
});
