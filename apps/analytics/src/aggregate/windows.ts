/** How long buckets are kept after they end; a bucket already past it is not written at all. */
export interface Windows {
  secondsKeptMs: number;
  minutesKeptMs: number;
}

export const SECOND_MS = 1000;
export const MINUTE_MS = 60_000;

export const secondOf = (ms: number): number => Math.floor(ms / SECOND_MS);
export const minuteOf = (ms: number): number => Math.floor(ms / MINUTE_MS);

/** When the key of the second `sec` expires: a time fixed by the bucket, the same on replay. */
export const secondExpiry = (sec: number, windows: Windows): number => (sec + 1) * SECOND_MS + windows.secondsKeptMs;
export const minuteExpiry = (min: number, windows: Windows): number => (min + 1) * MINUTE_MS + windows.minutesKeptMs;
