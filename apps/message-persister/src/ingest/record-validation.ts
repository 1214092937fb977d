import { ChatMessageRecord, ChatMessagesTopic, decodeRecord, Message, toMessage } from '@chat/contracts';
import type { SourceRecord } from '@chat/kafka';

export interface ValidRecord {
  message: Message;
  source: SourceRecord;
}
export interface InvalidRecord {
  error: string;
  source: SourceRecord;
}
export interface SplitBatch {
  valid: ValidRecord[];
  invalid: InvalidRecord[];
}

/**
 * The check beyond the payload schema (which already refuses what PostgreSQL cannot store as
 * sent) that storing needs: the key decides the partition, and a room split over partitions
 * would have colliding, non-monotonic offsets.
 */
function storageProblem(record: ChatMessageRecord, key: string | null): string | null {
  const expectedKey = ChatMessagesTopic.key(record);
  if (key !== expectedKey) return `record key ${JSON.stringify(key)} is not the roomId ${JSON.stringify(expectedKey)}`;
  return null;
}

export function validateRecord(source: SourceRecord): ValidRecord | InvalidRecord {
  const decoded = decodeRecord(ChatMessagesTopic, source.value);
  if (!decoded.ok) return { error: decoded.error, source };
  const problem = storageProblem(decoded.value, source.key === null ? null : source.key.toString('utf8'));
  if (problem) return { error: problem, source };
  return { message: toMessage(decoded.value, Number(source.offset)), source };
}

/** Keeps batch order in both halves, so the first of two duplicates in a batch is the one stored. */
export function splitBatch(records: readonly SourceRecord[]): SplitBatch {
  const split: SplitBatch = { valid: [], invalid: [] };
  for (const record of records) {
    const result = validateRecord(record);
    if ('message' in result) split.valid.push(result);
    else split.invalid.push(result);
  }
  return split;
}
