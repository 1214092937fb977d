import { decodeRecord, PresenceEvent, PresenceEventsTopic } from '@chat/contracts';
import type { EventRecord } from '../state/planner';
import type { SourceRecord } from '@chat/kafka';

export interface InvalidRecord {
  error: string;
  source: SourceRecord;
}

export interface SplitBatch {
  valid: EventRecord[];
  invalid: InvalidRecord[];
}

/**
 * A record must satisfy the contract and carry the contract's key: the key decides the partition,
 * and a user's events are only in order if they all share one.
 */
export function validateRecord(source: SourceRecord): EventRecord | InvalidRecord {
  const decoded = decodeRecord(PresenceEventsTopic, source.value);
  if (!decoded.ok) return { error: decoded.error, source };
  const event: PresenceEvent = decoded.value;
  const key = source.key === null ? null : source.key.toString('utf8');
  const expected = PresenceEventsTopic.key(event);
  if (key !== expected) return { error: `record key ${JSON.stringify(key)} is not ${JSON.stringify(expected)}`, source };
  return { offset: Number(source.offset), event };
}

/** Keeps batch order in both halves: events apply in offset order. */
export function splitBatch(records: readonly SourceRecord[]): SplitBatch {
  const split: SplitBatch = { valid: [], invalid: [] };
  for (const record of records) {
    const result = validateRecord(record);
    if ('event' in result) split.valid.push(result);
    else split.invalid.push(result);
  }
  return split;
}
