import { z } from 'zod';
import { RoomIdSchema } from '@chat/contracts';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;
const MAX_WINDOW_MS = 24 * 3_600_000;

/** `30s`, `5m`, `2h`: rounded up to whole minutes (the errors' buckets), 1 minute to 24 hours. */
export const WindowSchema = z
  .string({ message: 'window must be given once, like 5m' })
  .regex(/^\d{1,6}[smh]$/, 'window must be a number and a unit, s, m or h (e.g. 5m)')
  .transform((w) => Number(w.slice(0, -1)) * UNIT_MS[w.slice(-1) as keyof typeof UNIT_MS])
  .refine((ms) => ms > 0 && ms <= MAX_WINDOW_MS, 'window must be more than 0 and at most 24h')
  .transform((ms) => Math.ceil(ms / 60_000))
  .default(5);

export type ParamResult<T> = { ok: true; value: T } | { ok: false; reason: string };

function parse<T>(schema: z.ZodType<T>, input: unknown): ParamResult<T> {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: parsed.error.issues.map((i) => i.message).join('; ') };
}

export const parseWindowMinutes = (input: unknown): ParamResult<number> => parse(WindowSchema, input);
export const parseRoomId = (input: unknown): ParamResult<string> => parse(RoomIdSchema, input);
