import type { IncomingMessage } from 'node:http';
import type { OpsTokenVerifier, OpsVerdict } from './ops-token-verifier';

/** Set by GET /analytics/dashboard?token=…: the page's own requests (assets, SSE) carry it. */
export const OPS_COOKIE = 'analytics_ops_token';
export const OPS_COOKIE_PATH = '/analytics';

export type OpsCheck = OpsVerdict | { ok: true; open: true };

/**
 * The operator check of every /analytics/* request. `verifier` null: not production, the API is
 * open (LISTEN_HOST defaults to loopback). A bearer header wins over the cookie.
 */
export class OpsAuth {
  constructor(private readonly verifier: OpsTokenVerifier | null) {}

  get required(): boolean {
    return this.verifier !== null;
  }

  async check(request: Pick<IncomingMessage, 'headers'>): Promise<OpsCheck> {
    return this.checkToken(bearerOf(request) ?? cookieOf(request, OPS_COOKIE));
  }

  async checkToken(token: string | undefined): Promise<OpsCheck> {
    if (!this.verifier) return { ok: true, open: true };
    return this.verifier.verify(token);
  }
}

export function bearerOf(request: Pick<IncomingMessage, 'headers'>): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

export function cookieOf(request: Pick<IncomingMessage, 'headers'>, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** HttpOnly (page scripts never see it), SameSite=Strict (no cross-site use), gone when the token expires. */
export function opsCookie(token: string, maxAgeSec: number, secure: boolean): string {
  const attributes = [`Path=${OPS_COOKIE_PATH}`, 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, Math.floor(maxAgeSec))}`];
  if (secure) attributes.push('Secure');
  return `${OPS_COOKIE}=${encodeURIComponent(token)}; ${attributes.join('; ')}`;
}
