import { encodeRecord, TopicContract } from '@chat/contracts';
import type {
  IHeaders,
  Message as KafkaRecord,
  Producer,
  RecordMetadata,
} from 'kafkajs';
import type { z } from 'zod';

/** -1: every in-sync replica has it; 1: the leader has it; 0: not waited for. */
export type Acks = -1 | 0 | 1;

/** Where one record goes, when the caller chooses: its partition (else the partitioner's on the key), its headers. */
export interface Route {
  partition?: number;
  headers?: IHeaders;
}

export interface ProduceOptions {
  /** Left to the producer's default (all in-sync replicas) when not given. */
  acks?: Acks;
  /** One per payload, in the same order. */
  routes?: readonly Route[];
}

/**
 * The one way a payload reaches Kafka: encoded with its own topic's schema and key function, so
 * a topic is never sent another topic's codec. Every payload is validated before anything is
 * sent: one that breaks the contract fails the whole send (it is a bug of the caller).
 */
export async function produce<S extends z.ZodType>(
  producer: Producer,
  topic: TopicContract<S>,
  payloads: readonly z.infer<S>[],
  options: ProduceOptions = {},
): Promise<RecordMetadata[]> {
  const { acks, routes } = options;
  if (routes && routes.length !== payloads.length)
    throw new Error(`${routes.length} routes for ${payloads.length} payloads`);
  if (payloads.length === 0) return [];
  const messages = payloads.map(
    (payload, index): KafkaRecord => ({
      ...encodeRecord(topic, payload),
      ...routes?.[index],
    }),
  );
  return producer.send({
    topic: topic.name,
    messages,
    ...(acks === undefined ? {} : { acks }),
  });
}
