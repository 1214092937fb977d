import { isIP } from 'node:net';

/**
 * The load generator only ever targets this machine: a benchmark aimed at someone else's server
 * is an attack. Literal loopback hosts only (127.0.0.0/8, ::1, localhost); no DNS lookups, so a
 * name that happens to resolve to 127.0.0.1 today cannot be pointed elsewhere tomorrow.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const lower = bare.toLowerCase();
  if (lower === 'localhost' || lower === 'localhost.') return true;
  const family = isIP(lower);
  if (family === 4) return Number(lower.split('.')[0]) === 127;
  if (family === 6) return isIpv6Loopback(lower);
  return false;
}

function isIpv6Loopback(address: string): boolean {
  if (address === '::1' || address === '0:0:0:0:0:0:0:1') return true;
  // IPv4-mapped loopback (::ffff:127.x.y.z); Node's URL parser writes it in hex (::ffff:7f00:1).
  const tail = /^::ffff:(.+)$/.exec(address)?.[1];
  if (tail === undefined) return false;
  if (isIP(tail) === 4) return /^127\./.test(tail);
  const high = /^([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(tail)?.[1];
  return high !== undefined && parseInt(high, 16) >> 8 === 127;
}

/** Parses a target URL and refuses anything but http(s)/ws(s) on a loopback host. */
export function assertLoopbackUrl(raw: string, allowedProtocols = ['http:', 'https:', 'ws:', 'wss:']): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`not a URL: ${raw}`);
  }
  if (!allowedProtocols.includes(url.protocol)) {
    throw new Error(`unsupported protocol ${url.protocol} in ${raw} (expected ${allowedProtocols.join(', ')})`);
  }
  if (!isLoopbackHost(url.hostname)) {
    throw new Error(`refusing non-loopback target ${url.hostname} (${raw}): only 127.0.0.0/8, ::1 and localhost are allowed`);
  }
  return url;
}
