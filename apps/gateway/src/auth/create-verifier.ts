import type { GatewayConfig } from '../config/gateway.config';
import { JwksVerifier } from './jwks-verifier';
import { Hs256Verifier } from './jwt-verifier';
import type { TokenVerifier } from './token-verifier';

/** AUTH_JWKS_URL set: only the identity provider's tokens; otherwise HS256 with AUTH_JWT_SECRET. */
export function createTokenVerifier(config: GatewayConfig): TokenVerifier {
  const maxLifetimeSec = config.AUTH_MAX_TOKEN_LIFETIME_SEC;
  if (config.AUTH_JWKS_URL && config.AUTH_JWT_ISSUER && config.AUTH_JWT_AUDIENCE) {
    return JwksVerifier.fromUrl(config.AUTH_JWKS_URL, { issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE, maxLifetimeSec });
  }
  return new Hs256Verifier(config.AUTH_JWT_SECRET, { maxLifetimeSec });
}
