import type { IHeaders, KafkaMessage } from 'kafkajs';

/** The part of a consumed Kafka record the service uses (a kafkajs KafkaMessage satisfies it). */
export type SourceRecord = Pick<KafkaMessage, 'key' | 'value' | 'offset' | 'timestamp'> & { headers?: IHeaders };

/** Where a batch came from: DLQ headers name it so a record can be traced and replayed. */
export interface BatchSource {
  topic: string;
  partition: number;
}
