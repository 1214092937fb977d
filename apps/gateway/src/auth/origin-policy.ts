import type { IncomingMessage } from 'node:http';

type CorsOriginCallback = (error: Error | null, allow?: boolean) => void;

/**
 * Which browser pages may open a Socket.IO session (GATEWAY_ALLOWED_ORIGINS). A request without
 * an Origin header is not a browser's cross-site request (socket.io-client in node, the load
 * generator) and is allowed: the token still decides who connects. The check runs twice:
 * Engine.IO's allowRequest refuses the handshake of either transport (browsers send no CORS
 * preflight for a websocket), and the CORS answer names only allowed origins.
 */
export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(origins: readonly string[]) {
    this.allowed = new Set(origins);
  }

  allows(origin: string | undefined): boolean {
    return origin === undefined || this.allowed.has(origin);
  }

  /** Socket.IO server options: merge over the gateway decorator's. */
  serverOptions() {
    return {
      allowRequest: (req: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void) => {
        const allowed = this.allows(req.headers.origin);
        callback(allowed ? null : 'origin not allowed', allowed);
      },
      cors: {
        origin: (origin: string | undefined, callback: CorsOriginCallback) => callback(null, this.allows(origin)),
      },
    };
  }
}
