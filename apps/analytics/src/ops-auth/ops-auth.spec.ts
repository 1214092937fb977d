import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { SignJWT } from 'jose';
import { OPS_COOKIE, OpsAuth, opsCookie } from './ops-auth';
import { OpsAuthGuard } from './ops-auth.guard';
import { OpsTokenVerifier } from './ops-token-verifier';

const SECRET = 's'.repeat(40);
const config = { AUTH_JWT_SECRET: SECRET, AUTH_MAX_TOKEN_LIFETIME_SEC: 3600, AUTH_JWKS_URL: undefined, AUTH_JWT_ISSUER: undefined, AUTH_JWT_AUDIENCE: undefined };
const now = () => Math.floor(Date.now() / 1000);

function token(claims: Record<string, unknown>, { secret = SECRET, lifetimeSec = 600 } = {}): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (lifetimeSec >= 0) jwt.setExpirationTime(now() + lifetimeSec);
  return jwt.sign(new TextEncoder().encode(secret));
}

function contextOf(headers: Record<string, string>): { context: ExecutionContext; responseHeaders: Map<string, string> } {
  const responseHeaders = new Map<string, string>();
  const response = { setHeader: (name: string, value: string) => responseHeaders.set(name, value) };
  const http = { getRequest: () => ({ headers }), getResponse: () => response };
  return { context: { switchToHttp: () => http } as unknown as ExecutionContext, responseHeaders };
}

describe('OpsAuthGuard (production: verifier set)', () => {
  const guard = new OpsAuthGuard(new OpsAuth(OpsTokenVerifier.fromConfig(config)));
  const run = (headers: Record<string, string>) => guard.canActivate(contextOf(headers).context);

  it('lets a token with the ops role through, from the bearer header or the dashboard cookie', async () => {
    const ops = await token({ sub: 'ann', roles: ['viewer', 'ops'] });
    await expect(run({ authorization: `Bearer ${ops}` })).resolves.toBe(true);
    await expect(run({ cookie: `other=1; ${OPS_COOKIE}=${encodeURIComponent(ops)}` })).resolves.toBe(true);
  });

  it('answers 401 with WWW-Authenticate without a token, or with a bad, foreign, expired, eternal or over-long one', async () => {
    const { context, responseHeaders } = contextOf({});
    await expect(guard.canActivate(context)).rejects.toBeInstanceOf(UnauthorizedException);
    expect(responseHeaders.get('WWW-Authenticate')).toBe('Bearer realm="analytics"');
    const defects = [
      'not-a-jwt',
      await token({ sub: 'ann', roles: ['ops'] }, { secret: 'x'.repeat(40) }),
      await token({ sub: 'ann', roles: ['ops'] }, { lifetimeSec: -1 }),
      await token({ sub: 'ann', roles: ['ops'], exp: now() - 10 }, { lifetimeSec: -1 }),
      await token({ sub: 'ann', roles: ['ops'] }, { lifetimeSec: 7200 }),
      await token({ roles: ['ops'] }),
    ];
    for (const bad of defects) await expect(run({ authorization: `Bearer ${bad}` })).rejects.toBeInstanceOf(UnauthorizedException);
  });

  it('answers 403 to a valid token without the ops role', async () => {
    for (const claims of [{ sub: 'bob' }, { sub: 'bob', roles: ['viewer'] }, { sub: 'bob', roles: 'ops' }]) {
      await expect(run({ authorization: `Bearer ${await token(claims)}` })).rejects.toBeInstanceOf(ForbiddenException);
    }
  });
});

describe('OpsAuth outside production', () => {
  it('is open: no verifier, every request passes', async () => {
    const guard = new OpsAuthGuard(new OpsAuth(null));
    await expect(guard.canActivate(contextOf({}).context)).resolves.toBe(true);
  });
});

describe('opsCookie', () => {
  it('is HttpOnly, SameSite=Strict, scoped to /analytics, expires with the token and is Secure when asked', () => {
    expect(opsCookie('a.b.c', 90.7, true)).toBe(`${OPS_COOKIE}=a.b.c; Path=/analytics; HttpOnly; SameSite=Strict; Max-Age=90; Secure`);
    expect(opsCookie('a.b.c', -5, false)).toBe(`${OPS_COOKIE}=a.b.c; Path=/analytics; HttpOnly; SameSite=Strict; Max-Age=0`);
  });
});
