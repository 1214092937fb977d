import { MAX_ROOMS_PER_CHANGE, PresenceChange, PresenceChangesTopic } from '@chat/contracts';
import { z } from 'zod';
import type { OutboxEntry } from '../state/presence-store';

export interface ChangeRecords {
  /** Each valid against presence.changes' contract, so producing them cannot fail on one entry. */
  changes: PresenceChange[];
  statuses: PresenceChange['status'][];
  /** Entries that cannot become a valid record (a bug): reported, then dropped from the outbox. */
  broken: { id: string; error: string }[];
}

/** Outbox entries → presence changes, in order; a user in very many rooms takes several. */
export function toChangeRecords(entries: readonly OutboxEntry[]): ChangeRecords {
  const result: ChangeRecords = { changes: [], statuses: [], broken: [] };
  for (const { id, value } of entries) {
    try {
      const parts = splitRooms(JSON.parse(value)).map((part) => PresenceChangesTopic.schema.parse(part));
      result.changes.push(...parts);
      result.statuses.push(...parts.map((change) => change.status));
    } catch (error) {
      result.broken.push({ id, error: error instanceof z.ZodError ? z.prettifyError(error) : (error as Error).message });
    }
  }
  return result;
}

/** The change once per MAX_ROOMS_PER_CHANGE rooms (once when it has none); anything else as it is, for the schema to judge. */
function splitRooms(json: unknown): unknown[] {
  if (typeof json !== 'object' || json === null || !('rooms' in json) || !Array.isArray(json.rooms)) return [json];
  const rooms: unknown[] = json.rooms;
  if (rooms.length <= MAX_ROOMS_PER_CHANGE) return [json];
  const parts: unknown[] = [];
  for (let i = 0; i < rooms.length; i += MAX_ROOMS_PER_CHANGE) parts.push({ ...json, rooms: rooms.slice(i, i + MAX_ROOMS_PER_CHANGE) });
  return parts;
}
