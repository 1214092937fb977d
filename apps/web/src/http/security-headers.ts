/**
 * Content-Security-Policy of the client: scripts, styles and images from this server only (no
 * inline code at all), and connections only to this server and the configured gateways, over
 * HTTP (Socket.IO long-polling) and WebSocket.
 */
export function contentSecurityPolicy(gatewayOrigins: readonly string[]): string {
  const connect = ["'self'"];
  for (const origin of gatewayOrigins) {
    connect.push(origin, origin.replace(/^http/, 'ws'));
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every response carries. */
export function securityHeaders(gatewayOrigins: readonly string[]): Readonly<Record<string, string>> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(gatewayOrigins),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  };
}
