import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Each gateway process consumes the fan-out topics in consumer groups of its own; the boot
 * suffix keeps a restarted process from resuming a dead one's offsets (its clients recover
 * through room:join with sinceOffset instead).
 */
export function makeInstanceId(configured: string | undefined): string {
  return `${configured ?? hostname()}-${randomUUID().slice(0, 8)}`;
}

export const INSTANCE_ID = Symbol('INSTANCE_ID');
