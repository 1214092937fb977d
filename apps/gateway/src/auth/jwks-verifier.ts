import { createRemoteJWKSet, JWTVerifyGetKey } from 'jose';
import { ASYMMETRIC_ALGORITHMS, verifiedClaims } from '@chat/auth';
import { AuthenticatedUser, ClaimsPolicy, userFromClaims } from './token-claims';
import type { TokenVerifier } from './token-verifier';

export interface JwksPolicy extends ClaimsPolicy {
  /** AUTH_JWT_ISSUER: the `iss` every token must carry. */
  issuer: string;
  /** AUTH_JWT_AUDIENCE: the `aud` every token must name. */
  audience: string;
}

/** Tokens signed by an identity provider, checked against its published keys (AUTH_JWKS_URL). */
export class JwksVerifier implements TokenVerifier {
  constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly policy: JwksPolicy,
  ) {}

  /** jose caches the set, refetches on an unknown kid (at most every 30 s) and times out after 5 s. */
  static fromUrl(url: string, policy: JwksPolicy): JwksVerifier {
    return new JwksVerifier(createRemoteJWKSet(new URL(url)), policy);
  }

  async verify(token: unknown): Promise<AuthenticatedUser | null> {
    const claims = await verifiedClaims(token, this.keys, {
      issuer: this.policy.issuer,
      audience: this.policy.audience,
      algorithms: ASYMMETRIC_ALGORITHMS,
      requiredClaims: ['exp'],
    });
    return claims === null ? null : userFromClaims(claims as Record<string, unknown>, this.policy);
  }
}
