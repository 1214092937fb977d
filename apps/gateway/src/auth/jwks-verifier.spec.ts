import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, JWTPayload, SignJWT } from 'jose';
import { JwksVerifier } from './jwks-verifier';

const ISSUER = 'https://idp.example/';
const AUDIENCE = 'chat-gateway';
const POLICY = { issuer: ISSUER, audience: AUDIENCE, maxLifetimeSec: 3600 };

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/** The identity provider's JWKS endpoint, served locally: the verifier fetches it like a real one. */
async function serveJwks(keys: KeyPair[]): Promise<{ url: string; server: Server }> {
  const jwks = { keys: await Promise.all(keys.map(async (k, i) => ({ ...(await exportJWK(k.publicKey)), kid: `k${i}`, alg: 'ES256', use: 'sig' }))) };
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`, server };
}

const nowSec = () => Math.floor(Date.now() / 1000);

function sign(key: KeyPair, claims: JWTPayload, options: { kid?: string; exp?: number | null } = {}): Promise<string> {
  const jwt = new SignJWT({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, iat: nowSec(), ...claims }).setProtectedHeader({ alg: 'ES256', kid: options.kid ?? 'k0' });
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? nowSec() + 600);
  return jwt.sign(key.privateKey);
}

describe('JwksVerifier', () => {
  let idp: KeyPair;
  let stranger: KeyPair;
  let jwks: { url: string; server: Server };
  let verifier: JwksVerifier;

  beforeAll(async () => {
    idp = await generateKeyPair('ES256');
    stranger = await generateKeyPair('ES256');
    jwks = await serveJwks([idp]);
    verifier = JwksVerifier.fromUrl(jwks.url, POLICY);
  });
  afterAll(() => new Promise((resolve) => jwks.server.close(resolve)));

  it('accepts a token signed by a key of the set, with the right issuer and audience', async () => {
    await expect(verifier.verify(await sign(idp, { name: 'Alice' }))).resolves.toEqual({ id: 'alice', name: 'Alice' });
  });

  it('refuses another issuer or audience', async () => {
    await expect(verifier.verify(await sign(idp, { iss: 'https://evil.example/' }))).resolves.toBeNull();
    await expect(verifier.verify(await sign(idp, { aud: 'another-app' }))).resolves.toBeNull();
    await expect(verifier.verify(await sign(idp, { iss: undefined, aud: undefined }))).resolves.toBeNull();
  });

  it('refuses a token without exp, an expired one, and one living longer than the maximum', async () => {
    await expect(verifier.verify(await sign(idp, {}, { exp: null }))).resolves.toBeNull();
    await expect(verifier.verify(await sign(idp, { iat: nowSec() - 120 }, { exp: nowSec() - 60 }))).resolves.toBeNull();
    await expect(verifier.verify(await sign(idp, {}, { exp: nowSec() + 2 * 3600 }))).resolves.toBeNull();
  });

  it('refuses a key outside the set, an unknown kid and a bad subject', async () => {
    await expect(verifier.verify(await sign(stranger, {}))).resolves.toBeNull();
    await expect(verifier.verify(await sign(stranger, {}, { kid: 'unknown' }))).resolves.toBeNull();
    await expect(verifier.verify(await sign(idp, { sub: 'bad user!' }))).resolves.toBeNull();
    await expect(verifier.verify('not-a-jwt')).resolves.toBeNull();
    await expect(verifier.verify(undefined)).resolves.toBeNull();
  });

  it('refuses a symmetric (HS256) token even when it names a key of the set', async () => {
    const hs = await new SignJWT({ sub: 'alice', iss: ISSUER, aud: AUDIENCE })
      .setProtectedHeader({ alg: 'HS256', kid: 'k0' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a-secret-of-sufficient-length-000'));
    await expect(verifier.verify(hs)).resolves.toBeNull();
  });

  it('rejects (UNAVAILABLE, not UNAUTHORIZED) when the JWKS endpoint cannot be reached', async () => {
    const { url, server } = await serveJwks([idp]);
    await new Promise((resolve) => server.close(resolve));
    const unreachable = JwksVerifier.fromUrl(url, POLICY);
    await expect(unreachable.verify(await sign(idp, {}))).rejects.toBeDefined();
  });
});
