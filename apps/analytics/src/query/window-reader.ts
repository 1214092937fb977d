import { AnalyticsField, AnalyticsFields, AnalyticsKeyBuilder } from '@chat/contracts';
import type { Redis } from '@chat/redis';
import { minuteOf, secondOf } from '../aggregate/windows';

export const COUNT_FIELDS = [AnalyticsFields.messages, AnalyticsFields.bytes, AnalyticsFields.typing, AnalyticsFields.receipts] as const;
export type CountField = (typeof COUNT_FIELDS)[number];

/** The `n` seconds (or minutes) ending with the one `now` is in, oldest first. */
export const lastSeconds = (now: number, n: number): number[] => Array.from({ length: n }, (_, i) => secondOf(now) - n + 1 + i);
export const lastMinutes = (now: number, n: number): number[] => Array.from({ length: n }, (_, i) => minuteOf(now) - n + 1 + i);

/** ioredis reports per-command failures inside exec's result instead of rejecting. */
export function results(replies: [Error | null, unknown][] | null): unknown[] {
  if (replies === null) throw new Error('Redis pipeline was not executed');
  return replies.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

const toNumber = (value: string | null | undefined): number => (value ? Number(value) : 0);

/** Reads of the bucket keys, each one pipeline; a missing key (expired, or never written) is zeros. */
export class WindowReader {
  constructor(
    private readonly redis: Redis,
    readonly keys: AnalyticsKeyBuilder,
  ) {}

  /** The count fields of each key, in order. */
  async counts(keys: readonly string[]): Promise<Record<CountField, number>[]> {
    if (keys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hmget(key, ...COUNT_FIELDS);
    return (results(await pipeline.exec()) as (string | null)[][]).map((values) =>
      Object.fromEntries(COUNT_FIELDS.map((field, i) => [field, toNumber(values[i])])) as Record<CountField, number>,
    );
  }

  /** The count fields of one key. */
  async count(key: string): Promise<Record<CountField, number>> {
    const [counts] = await this.counts([key]);
    if (!counts) throw new Error(`Redis pipeline answered no reply for ${key}`);
    return counts;
  }

  async field(keys: readonly string[], field: AnalyticsField): Promise<(number | null)[]> {
    if (keys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hget(key, field);
    return (results(await pipeline.exec()) as (string | null)[]).map((v) => (v === null ? null : Number(v)));
  }

  async hashes(keys: readonly string[]): Promise<Record<string, string>[]> {
    if (keys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hgetall(key);
    return results(await pipeline.exec()) as Record<string, string>[];
  }

  /** The `limit` highest members of the union of sorted sets, summed (ZUNION: nothing stored). */
  async top(keys: readonly string[], limit: number): Promise<{ member: string; score: number }[]> {
    const flat = (await this.redis.call('ZUNION', String(keys.length), ...keys, 'WITHSCORES')) as string[];
    const entries: { member: string; score: number }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const [member, score] = flat.slice(i, i + 2);
      if (member !== undefined && score !== undefined) entries.push({ member, score: Number(score) });
    }
    return entries.sort((a, b) => b.score - a.score || a.member.localeCompare(b.member)).slice(0, limit);
  }

  pfcount(keys: readonly string[]): Promise<number> {
    return this.redis.pfcount(...keys);
  }

  scard(key: string): Promise<number> {
    return this.redis.scard(key);
  }
}

export function sum(rows: readonly Record<CountField, number>[]): Record<CountField, number> {
  const total = { messages: 0, bytes: 0, typing: 0, receipts: 0 };
  for (const row of rows) for (const field of COUNT_FIELDS) total[field] += row[field];
  return total;
}
