import { z } from 'zod';
import type { DecodeResult } from './kafka/topic';

/**
 * How one kind of Redis value is written and read. Writers encode and readers decode with the
 * same codec, so both hold to one schema; a value that does not match it decodes to an error the
 * reader can act on (skip it, read elsewhere) instead of a cast that fails later.
 */
export interface RedisValueCodec<T> {
  /** Validates, then serializes: a value that breaks its schema is never written. */
  encode(value: T): string;
  decode(raw: string): DecodeResult<T>;
}

/**
 * A JSON codec for `schema`. `normalize` (optional) gives the validated value a fixed shape
 * before it is serialized, for values whose string is their identity (a sorted-set member).
 */
export function jsonCodec<S extends z.ZodType>(
  schema: S,
  normalize: (value: z.infer<S>) => z.infer<S> = (value) => value,
): RedisValueCodec<z.infer<S>> {
  return {
    encode: (value) => JSON.stringify(normalize(schema.parse(value))),
    decode: (raw) => {
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return { ok: false, error: 'value is not JSON' };
      }
      const parsed = schema.safeParse(json);
      return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: z.prettifyError(parsed.error) };
    },
  };
}
