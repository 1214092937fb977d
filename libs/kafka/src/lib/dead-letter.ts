import { DeadLetterHeaders, dlqName } from '@chat/contracts';
import type { IHeaders, Message as KafkaRecord } from 'kafkajs';
import type { BatchSource, SourceRecord } from './source-record';

/** invalid: breaks its topic's contract; rejected: valid, but the store refused it for good. */
export interface DeadLetter {
  source: SourceRecord;
  error: string;
  reason: 'invalid' | 'rejected';
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
 * the Spring Kafka dead-letter headers saying what failed and where it came from.
 */
export function toDeadLetterRecord(letter: DeadLetter, from: BatchSource): KafkaRecord {
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
      [DeadLetterHeaders.OriginalConsumerGroup]: from.groupId,
    },
  };
}

/** Every source topic has its dead-letter topic beside it (created with the others at start-up). */
export function deadLetterTopic(from: BatchSource): string {
  return dlqName({ name: from.topic });
}
