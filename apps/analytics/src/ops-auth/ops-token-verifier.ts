import { createSecretKey, KeyObject } from 'node:crypto';
import { createRemoteJWKSet, JWTVerifyGetKey, JWTVerifyOptions } from 'jose';
import { ASYMMETRIC_ALGORITHMS, verifiedClaims } from '@chat/auth';
import type { TokenAuthEnv } from '@chat/config';

/** The role an operator's token must carry in its `roles` claim (an array of strings). */
export const OPS_ROLE = 'ops';

/** `invalid`: no acceptable token (401); `forbidden`: a valid token without the ops role (403). */
export type OpsVerdict = { ok: true; subject: string; expiresAtSec: number } | { ok: false; why: 'invalid' | 'forbidden' };

/**
 * Verifies an operator's JWT: signature, `exp` required and at most AUTH_MAX_TOKEN_LIFETIME_SEC
 * from `iat` (or now), a `sub`, then the role. Rejects (throws) only when the key source itself
 * fails, e.g. an unreachable JWKS: the token may be fine.
 */
export class OpsTokenVerifier {
  constructor(
    private readonly key: JWTVerifyGetKey | KeyObject,
    private readonly options: JWTVerifyOptions,
    private readonly maxLifetimeSec: number,
    private readonly nowSec: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  static fromConfig(config: TokenAuthEnv): OpsTokenVerifier {
    const max = config.AUTH_MAX_TOKEN_LIFETIME_SEC;
    if (config.AUTH_JWKS_URL && config.AUTH_JWT_ISSUER && config.AUTH_JWT_AUDIENCE) {
      const options = { algorithms: ASYMMETRIC_ALGORITHMS, issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE, requiredClaims: ['exp'] };
      return new OpsTokenVerifier(createRemoteJWKSet(new URL(config.AUTH_JWKS_URL)), options, max);
    }
    return new OpsTokenVerifier(createSecretKey(Buffer.from(config.AUTH_JWT_SECRET, 'utf8')), { algorithms: ['HS256'], requiredClaims: ['exp'] }, max);
  }

  async verify(token: string | undefined): Promise<OpsVerdict> {
    const claims = await verifiedClaims(token, this.key, { ...this.options, currentDate: new Date(this.nowSec() * 1000) });
    if (claims === null) return { ok: false, why: 'invalid' };
    const { exp, iat, sub, roles } = claims;
    if (typeof exp !== 'number' || typeof sub !== 'string' || sub === '') return { ok: false, why: 'invalid' };
    const from = Math.min(typeof iat === 'number' ? iat : this.nowSec(), this.nowSec());
    if (exp - from > this.maxLifetimeSec) return { ok: false, why: 'invalid' };
    if (!Array.isArray(roles) || !roles.includes(OPS_ROLE)) return { ok: false, why: 'forbidden' };
    return { ok: true, subject: sub, expiresAtSec: exp };
  }
}
