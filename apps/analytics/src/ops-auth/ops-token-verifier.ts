import { createSecretKey } from 'node:crypto';
import { createRemoteJWKSet, JWTPayload, jwtVerify, JWTVerifyGetKey, JWTVerifyOptions } from 'jose';
import type { TokenAuthEnv } from '@chat/config';

/** The role an operator's token must carry in its `roles` claim (an array of strings). */
export const OPS_ROLE = 'ops';
const MAX_TOKEN_LENGTH = 4096;
/** jose's codes for "this token is not acceptable"; any other failure (ERR_JWKS_TIMEOUT…) is the key source's. */
const TOKEN_DEFECTS = new Set([
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_EXPIRED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
]);
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** `invalid`: no acceptable token (401); `forbidden`: a valid token without the ops role (403). */
export type OpsVerdict = { ok: true; subject: string; expiresAtSec: number } | { ok: false; why: 'invalid' | 'forbidden' };

/**
 * Verifies an operator's JWT: signature, `exp` required and at most AUTH_MAX_TOKEN_LIFETIME_SEC
 * from `iat` (or now), a `sub`, then the role. Rejects (throws) only when the key source itself
 * fails, e.g. an unreachable JWKS: the token may be fine.
 */
export class OpsTokenVerifier {
  constructor(
    private readonly key: JWTVerifyGetKey | Uint8Array | ReturnType<typeof createSecretKey>,
    private readonly options: JWTVerifyOptions,
    private readonly maxLifetimeSec: number,
    private readonly nowSec: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  static fromConfig(config: TokenAuthEnv): OpsTokenVerifier {
    const max = config.AUTH_MAX_TOKEN_LIFETIME_SEC;
    if (config.AUTH_JWKS_URL && config.AUTH_JWT_ISSUER && config.AUTH_JWT_AUDIENCE) {
      const options = { algorithms: ASYMMETRIC, issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE, requiredClaims: ['exp'] };
      return new OpsTokenVerifier(createRemoteJWKSet(new URL(config.AUTH_JWKS_URL)), options, max);
    }
    return new OpsTokenVerifier(createSecretKey(Buffer.from(config.AUTH_JWT_SECRET, 'utf8')), { algorithms: ['HS256'], requiredClaims: ['exp'] }, max);
  }

  async verify(token: string | undefined): Promise<OpsVerdict> {
    if (!token || token.length > MAX_TOKEN_LENGTH) return { ok: false, why: 'invalid' };
    let claims: JWTPayload;
    try {
      claims = await this.verified(token);
    } catch (error) {
      if (TOKEN_DEFECTS.has(String((error as { code?: unknown }).code))) return { ok: false, why: 'invalid' };
      throw error;
    }
    const { exp, iat, sub, roles } = claims;
    if (typeof exp !== 'number' || typeof sub !== 'string' || sub === '') return { ok: false, why: 'invalid' };
    const from = Math.min(typeof iat === 'number' ? iat : this.nowSec(), this.nowSec());
    if (exp - from > this.maxLifetimeSec) return { ok: false, why: 'invalid' };
    if (!Array.isArray(roles) || !roles.includes(OPS_ROLE)) return { ok: false, why: 'forbidden' };
    return { ok: true, subject: sub, expiresAtSec: exp };
  }

  private async verified(token: string): Promise<JWTPayload> {
    const options = { ...this.options, currentDate: new Date(this.nowSec() * 1000) };
    // jose's overloads split on the key's kind; both branches verify the same way.
    const { payload } = typeof this.key === 'function' ? await jwtVerify(token, this.key, options) : await jwtVerify(token, this.key, options);
    return payload;
  }
}
