import { createSecretKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { MAX_TOKEN_LENGTH, verifiedClaims } from './signed-token';

const key = createSecretKey(Buffer.from('spec-secret', 'utf8'));
const options = { algorithms: ['HS256'], requiredClaims: ['exp'] };
const sign = (claims: Record<string, unknown>, secret = key) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('5m').sign(secret);

describe('verifiedClaims', () => {
  it('returns the claims of a token whose signature and registered claims hold', async () => {
    await expect(verifiedClaims(await sign({ sub: 'alice', roles: ['ops'] }), key, options)).resolves.toMatchObject({ sub: 'alice', roles: ['ops'] });
  });

  it('is null for any defect of the token: another key, expired, not a JWT, not a string, too long', async () => {
    const other = createSecretKey(Buffer.from('another-secret', 'utf8'));
    const expired = await new SignJWT({ sub: 'a' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(key);
    for (const token of [await sign({ sub: 'a' }, other), expired, 'not.a.jwt', 42, undefined, 'x'.repeat(MAX_TOKEN_LENGTH + 1)]) {
      await expect(verifiedClaims(token, key, options)).resolves.toBeNull();
    }
  });

  it('rejects when the key source fails: the token may be fine', async () => {
    const unreachable = async () => {
      throw Object.assign(new Error('JWKS request timed out'), { code: 'ERR_JWKS_TIMEOUT' });
    };
    await expect(verifiedClaims(await sign({ sub: 'a' }), unreachable, options)).rejects.toThrow('JWKS request timed out');
  });
});
