import type { OpsLogLevel } from './kafka/ops-logs.topic';

/** A key space: lower-case, no ':' (so it can never be confused with the segments after it). */
const SPACE_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Fields of the bucket hashes (second, minute, room-second, room-minute, totals). */
export const AnalyticsFields = {
  messages: 'messages',
  /** UTF-8 bytes of the message bodies. */
  bytes: 'bytes',
  typing: 'typing',
  receipts: 'receipts',
  /** Users online as last seen in the bucket (global buckets only). */
  online: 'online',
} as const;

export type AnalyticsField = (typeof AnalyticsFields)[keyof typeof AnalyticsFields];

/** Field of an errors hash: the level first (it never holds ':'), then the service. */
export function errorField(level: OpsLogLevel, service: string): string {
  return `${level}:${service}`;
}

export function parseErrorField(field: string): { level: string; service: string } {
  const at = field.indexOf(':');
  return { level: field.slice(0, at), service: field.slice(at + 1) };
}

function bucket(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`analytics bucket must be a non-negative integer, got ${n}`);
  return String(n);
}

/**
 * Redis keys of the analytics aggregates; the analytics service is their only writer. Bucket
 * numbers are epoch seconds (`sec`) or epoch minutes (`min`) of the record's own time. Every
 * variable part is an integer or a fixed word except a room id, group id or service name,
 * which always comes last, so `dm:a:b` rooms cannot make two keys collide.
 * `space` lets a test (or a second deployment) keep its own aggregates; default `analytics`.
 */
export function analyticsKeys(space = 'analytics') {
  if (!SPACE_PATTERN.test(space)) throw new Error(`analytics key space must match ${SPACE_PATTERN}, got ${JSON.stringify(space)}`);
  return {
    space,
    /** Hash `{topic}/{partition}` → last applied offset, per consumer group. */
    offsets: (groupId: string) => `${space}:offsets:${groupId}`,
    /** Hash of AnalyticsFields for one second (kept 5 minutes). */
    second: (sec: number) => `${space}:sec:${bucket(sec)}`,
    /** Hash of AnalyticsFields for one minute (kept 24 hours). */
    minute: (min: number) => `${space}:min:${bucket(min)}`,
    roomSecond: (sec: number, roomId: string) => `${space}:room-sec:${bucket(sec)}:${roomId}`,
    roomMinute: (min: number, roomId: string) => `${space}:room-min:${bucket(min)}:${roomId}`,
    /** Hash of AnalyticsFields since the aggregates began (no expiry). */
    totals: () => `${space}:totals`,
    roomTotals: (roomId: string) => `${space}:room-totals:${roomId}`,
    /** HyperLogLog of the senders of one minute. */
    senders: (min: number) => `${space}:senders:${bucket(min)}`,
    roomSenders: (min: number, roomId: string) => `${space}:room-senders:${bucket(min)}:${roomId}`,
    /** Sorted set roomId → messages of one minute; the top rooms of a window are their ZUNION. */
    topRooms: (min: number) => `${space}:top-rooms:${bucket(min)}`,
    /** Set of the user ids online now, from presence.changes.v1. */
    online: () => `${space}:online`,
    /** Hash log-bucket index → count of delivery delays (sentAt → consumed) of one minute. */
    delay: (min: number) => `${space}:delay:${bucket(min)}`,
    /** Hash errorField(level, service) → records of ops.logs.v1 in one minute. */
    errors: (min: number) => `${space}:errors:${bucket(min)}`,
    /** Sorted set JSON [service, level, message] → records of one minute. */
    errorMessages: (min: number) => `${space}:error-messages:${bucket(min)}`,
    /** String: the token of the rebuild running now; while it exists, only its holder may apply. */
    rebuildLock: () => `${space}:rebuild`,
    /**
     * SCAN patterns of the counted keys a rebuild clears and recounts from the log. Not `online`
     * (a state every transition sets idempotently; transitions older than the rebuild are not
     * replayed) nor `delay` (measured at consume time: a replay would measure its own lag).
     */
    countedPatterns: () =>
      ['sec', 'min', 'room-sec', 'room-min', 'room-totals', 'senders', 'room-senders', 'top-rooms', 'errors', 'error-messages']
        .map((kind) => `${space}:${kind}:*`)
        .concat(`${space}:totals`),
  } as const;
}

export type AnalyticsKeyBuilder = ReturnType<typeof analyticsKeys>;

export const AnalyticsKeys = analyticsKeys();
