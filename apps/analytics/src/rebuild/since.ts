const MINUTE_MS = 60_000;
const UNIT_MS = new Map([
  ['m', MINUTE_MS],
  ['h', 60 * MINUTE_MS],
  ['d', 24 * 60 * MINUTE_MS],
]);
const SINCE_PATTERN = /^([1-9][0-9]{0,4})([mhd])$/;
/** Beyond the longest retention of the topics read (chat.messages.v1 keeps 7 days). */
const MAX_SINCE_MS = 30 * 24 * 60 * MINUTE_MS;

export class SinceError extends Error {
  constructor(text: string, reason: string) {
    super(`--since ${JSON.stringify(text)}: ${reason}`);
    this.name = 'SinceError';
  }
}

/** `--since` as milliseconds back from now: a whole number of minutes, hours or days (30m, 2h, 1d). */
export function parseSince(text: string): number {
  const [, count, unit] = SINCE_PATTERN.exec(text.trim()) ?? [];
  if (count === undefined || unit === undefined) throw new SinceError(text, 'expected a whole number and a unit m, h or d, e.g. 30m, 2h, 1d');
  const ms = Number(count) * (UNIT_MS.get(unit) ?? Number.NaN);
  if (ms > MAX_SINCE_MS) throw new SinceError(text, 'at most 30d (no topic analytics reads keeps more)');
  return ms;
}
