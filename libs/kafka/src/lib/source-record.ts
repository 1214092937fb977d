import type { IHeaders, KafkaMessage } from 'kafkajs';

/** The part of a consumed Kafka record a service uses (a kafkajs KafkaMessage satisfies it). */
export type SourceRecord = Pick<KafkaMessage, 'key' | 'value' | 'offset' | 'timestamp'> & { headers?: IHeaders };

/** Where a batch came from: dead-letter headers name it so a record can be traced and replayed. */
export interface BatchSource {
  topic: string;
  partition: number;
  /** The consumer group that read it. */
  groupId: string;
}
