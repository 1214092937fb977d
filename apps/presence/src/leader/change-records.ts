import { encodeRecord, EncodedRecord, PresenceChange, PresenceChangesTopic } from '@chat/contracts';
import type { OutboxEntry } from '../state/presence-store';

/** The contract's limit of rooms per change record. */
export const MAX_ROOMS_PER_CHANGE = 10_000;

export interface ChangeRecords {
  records: EncodedRecord[];
  statuses: PresenceChange['status'][];
  /** Entries that cannot become a valid record (a bug): reported, then dropped from the outbox. */
  broken: { id: string; error: string }[];
}

/** Outbox entries → presence.changes records, in order; a user in very many rooms takes several. */
export function toChangeRecords(entries: readonly OutboxEntry[]): ChangeRecords {
  const result: ChangeRecords = { records: [], statuses: [], broken: [] };
  for (const { id, value } of entries) {
    try {
      const change = JSON.parse(value) as PresenceChange;
      const parts: string[][] = [];
      for (let i = 0; i < change.rooms.length; i += MAX_ROOMS_PER_CHANGE) parts.push(change.rooms.slice(i, i + MAX_ROOMS_PER_CHANGE));
      const encoded = (parts.length === 0 ? [[]] : parts).map((rooms) => encodeRecord(PresenceChangesTopic, { ...change, rooms }));
      result.records.push(...encoded);
      result.statuses.push(...encoded.map(() => change.status));
    } catch (error) {
      result.broken.push({ id, error: (error as Error).message });
    }
  }
  return result;
}
