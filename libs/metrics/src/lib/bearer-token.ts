import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * `Authorization: Bearer <token>` against the expected token in constant time: the digests have
 * equal length whatever was sent, so timingSafeEqual never throws and the length does not leak.
 */
export function bearerTokenMatches(header: string | undefined, expected: string): boolean {
  const sent = /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1];
  if (sent === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(sent), digest(expected));
}
