import { z } from 'zod';

/**
 * A UTF-16 surrogate without its partner: UTF-8 cannot encode it, so Kafka, PostgreSQL and Redis
 * would each store U+FFFD instead. Matched per code unit (no `u` flag).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSTORABLE_TEXT_MESSAGE = 'must not contain U+0000 or a lone UTF-16 surrogate';

/** Whether every store of the platform keeps `text` byte for byte. */
export function isStorableText(text: string): boolean {
  // PostgreSQL's text type refuses U+0000 outright.
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/**
 * A string every store keeps as it was sent: refused at the edge rather than acked, then
 * dead-lettered by PostgreSQL (U+0000) or silently rewritten (lone surrogates).
 */
export function storableText(): z.ZodString {
  return z.string().refine(isStorableText, UNSTORABLE_TEXT_MESSAGE);
}
