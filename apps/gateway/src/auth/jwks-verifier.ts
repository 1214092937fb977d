import { createRemoteJWKSet, jwtVerify, JWTVerifyGetKey } from 'jose';
import { AuthenticatedUser, ClaimsPolicy, userFromClaims } from './token-claims';
import { isTokenShaped, TokenVerifier } from './token-verifier';

// The only file that imports jose: everything else sees a TokenVerifier.

/** Asymmetric only: with a JWKS, an HS* token would mean a key the issuer's public set exposes. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** jose error codes that mean "this token is not acceptable"; any other failure is the key source's. */
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
    if (!isTokenShaped(token)) return null;
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.policy.issuer,
        audience: this.policy.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp'],
      });
      return userFromClaims(payload as Record<string, unknown>, this.policy);
    } catch (error) {
      if (TOKEN_DEFECTS.has(String((error as { code?: unknown }).code))) return null;
      throw error;
    }
  }
}
