import { z } from 'zod';
import { checkSecurity, DEV_JWT_SECRET, env, loadConfig, metricsEnv, runtimeEnv } from '@chat/config';

const DEFAULT_GATEWAYS = 'http://127.0.0.1:3000,http://127.0.0.1:3001';

/**
 * Gateway base URLs as the browser will use them: `http(s)://host:port`, nothing else (Socket.IO
 * adds `/socket.io` and the client adds the `/chat` namespace). Normalized to their origin.
 */
function gatewayUrls(fallback: string) {
  return z.string().default(fallback).transform(toOrigins);
}

function toOrigins(value: string, ctx: z.RefinementCtx): string[] {
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const origins: string[] = [];
  for (const entry of entries) {
    const origin = toOrigin(entry);
    if (!origin) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(entry)} is not an http(s) origin; expected comma-separated URLs like http://127.0.0.1:3000`,
      });
      return z.NEVER;
    }
    if (!origins.includes(origin)) origins.push(origin);
  }
  if (origins.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'expected at least one gateway URL, e.g. http://127.0.0.1:3000' });
    return z.NEVER;
  }
  return origins;
}

/** `http(s)://host[:port][/]` → its origin; null for anything with a path, query, credentials or another scheme. */
export function toOrigin(candidate: string): string | null {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') return null;
  return url.origin;
}

export const WebConfigSchema = z.object({
  ...runtimeEnv,
  ...metricsEnv,
  WEB_PORT: env.port(8080),
  /** Gateways the browser may choose from; also the only hosts the page may connect to (CSP). */
  WEB_GATEWAY_URLS: gatewayUrls(DEFAULT_GATEWAYS),
  /** Must match the gateways' secret: /dev/token signs with it. */
  AUTH_JWT_SECRET: env.string(DEV_JWT_SECRET),
  /** POST /dev/token mints a token for any user id: a local development convenience only (refused in production). */
  WEB_DEV_TOKENS: z
    .enum(['true', 'false'], { message: 'expected true or false' })
    .default('true')
    .transform((v) => v === 'true'),
  /** Where index.html, app.js, … live; by default the `public` folder next to the built main.js. */
  /**
   * Where /health/ready checks the gateways when the browser's URLs (WEB_GATEWAY_URLS, e.g. the
   * public ingress) are not reachable from the web server: in a cluster, the gateway Service.
   */
  WEB_READINESS_GATEWAY_URLS: z.string().transform(toOrigins).optional(),
  WEB_STATIC_DIR: z.string().min(1, 'must not be empty').optional(),
  SHUTDOWN_GRACE_MS: env.positiveInt(5000),
});
export type WebConfig = z.infer<typeof WebConfigSchema>;

export function loadWebConfig(source: NodeJS.ProcessEnv = process.env): WebConfig {
  const config = loadConfig(WebConfigSchema, source);
  // Without /dev/token the web server signs nothing, so only the dev login itself is refused.
  checkSecurity(config, { devOnly: { WEB_DEV_TOKENS: config.WEB_DEV_TOKENS }, metrics: config });
  return config;
}
