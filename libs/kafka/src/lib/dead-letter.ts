import { DeadLetterHeaders, DeadLetterReason, dlqName } from '@chat/contracts';
import type { IHeaders, Message as KafkaRecord } from 'kafkajs';
import type { BatchSource, SourceRecord } from './source-record';

/**
 * invalid: breaks its topic's contract; rejected: valid, but the store refused it for good;
 * failed: processing it kept failing on its own while its dependencies were healthy.
 */
export interface DeadLetter {
  source: SourceRecord;
  error: string;
  reason: DeadLetterReason;
  /** The error's class name; by default ContractViolation for invalid, else Error. */
  errorType?: string;
  /** Processing attempts; 1 by default. */
  attempts?: number;
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
export function toDeadLetterRecord(letter: DeadLetter, from: BatchSource, now: Date = new Date()): KafkaRecord {
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
      [DeadLetterHeaders.ExceptionType]: letter.errorType ?? (letter.reason === 'invalid' ? 'ContractViolation' : 'Error'),
      [DeadLetterHeaders.Attempts]: String(letter.attempts ?? 1),
      [DeadLetterHeaders.FailedAt]: now.toISOString(),
    },
  };
}

/** Every source topic has its dead-letter topic beside it (created with the others at start-up). */
export function deadLetterTopic(from: BatchSource): string {
  return dlqName({ name: from.topic });
}
