import { z } from 'zod';

/**
 * A Kafka topic's whole contract in one place: its name, how a payload maps to the record key,
 * the payload schema, and how the admin step creates it.
 */
export interface TopicContract<S extends z.ZodType> {
  readonly name: string;
  readonly schema: S;
  readonly key: (payload: z.infer<S>) => string | null;
  readonly partitions: number;
  readonly config: Readonly<Record<string, string>>;
}

export function defineTopic<S extends z.ZodType>(topic: TopicContract<S>): TopicContract<S> {
  return topic;
}

export type TopicPayload<T> = T extends TopicContract<infer S> ? z.infer<S> : never;

export interface EncodedRecord {
  key: string | null;
  value: string;
}

/** Validates before producing: a payload that breaks its contract never reaches Kafka. */
export function encodeRecord<S extends z.ZodType>(topic: TopicContract<S>, payload: z.infer<S>): EncodedRecord {
  const value = topic.schema.parse(payload) as z.infer<S>;
  return { key: topic.key(value), value: JSON.stringify(value) };
}

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validates on consume: the caller decides where an invalid record goes (usually the DLQ). */
export function decodeRecord<S extends z.ZodType>(
  topic: TopicContract<S>,
  value: Buffer | string | null,
): DecodeResult<z.infer<S>> {
  if (value === null) return { ok: false, error: 'record has no value' };
  let json: unknown;
  try {
    json = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch {
    return { ok: false, error: 'record value is not JSON' };
  }
  const parsed = topic.schema.safeParse(json);
  return parsed.success
    ? { ok: true, value: parsed.data as z.infer<S> }
    : { ok: false, error: z.prettifyError(parsed.error) };
}

/**
 * Headers a dead-lettered record carries beside its original key, value and headers: the
 * Spring Kafka / @nestjs/microservices `kafka_dlt-*` names, plus the reason and consumer group.
 */
export const DeadLetterHeaders = {
  ExceptionMessage: 'kafka_dlt-exception-message',
  OriginalTopic: 'kafka_dlt-original-topic',
  OriginalPartition: 'kafka_dlt-original-partition',
  OriginalOffset: 'kafka_dlt-original-offset',
  OriginalTimestamp: 'kafka_dlt-original-timestamp',
  OriginalConsumerGroup: 'kafka_dlt-original-consumer-group',
  /**
   * `invalid` (failed its schema), `rejected` (the store refused it) or `failed` (processing it
   * kept failing on its own while its dependencies were healthy).
   */
  Reason: 'kafka_dlt-reason',
  /** The error's kind: its class name, or `ContractViolation` for an invalid record. */
  ExceptionType: 'kafka_dlt-exception-fqcn',
  /** How many times processing was tried, decimal (1 for a record that never got that far). */
  Attempts: 'kafka_dlt-attempts',
  /** When the record was given up on, ISO-8601 in UTC. */
  FailedAt: 'kafka_dlt-failed-at',
} as const;

export type DeadLetterReason = 'invalid' | 'rejected' | 'failed';

/** Name of the dead-letter topic for records of `topic` that failed validation or processing. */
export function dlqName(topic: { name: string }): string {
  return `${topic.name}.dlq`;
}
