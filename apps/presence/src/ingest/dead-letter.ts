import { DeadLetterHeaders } from '@chat/contracts';
import type { IHeaders, Message as KafkaRecord } from 'kafkajs';
import type { BatchSource, SourceRecord } from './source-record';

export interface DeadLetter {
  source: SourceRecord;
  error: string;
  reason: 'invalid';
}

const MAX_ERROR_LENGTH = 4000;

function copyHeaders(headers: IHeaders | undefined): IHeaders {
  const copy: IHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) copy[name] = value;
  }
  return copy;
}

/**
 * The original key, value and headers untouched (so the record can be replayed as it was), plus
 * the dead-letter headers saying what failed and where it came from (as the persister writes them).
 */
export function toDeadLetterRecord(letter: DeadLetter, from: BatchSource, groupId: string): KafkaRecord {
  const { source } = letter;
  return {
    key: source.key,
    value: source.value,
    headers: {
      ...copyHeaders(source.headers),
      [DeadLetterHeaders.ExceptionMessage]: letter.error.slice(0, MAX_ERROR_LENGTH),
      [DeadLetterHeaders.Reason]: letter.reason,
      [DeadLetterHeaders.OriginalTopic]: from.topic,
      [DeadLetterHeaders.OriginalPartition]: String(from.partition),
      [DeadLetterHeaders.OriginalOffset]: source.offset,
      [DeadLetterHeaders.OriginalTimestamp]: source.timestamp,
      [DeadLetterHeaders.OriginalConsumerGroup]: groupId,
    },
  };
}
