import { Inject, Injectable } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';
import { KAFKA } from '@chat/kafka';
import { ChatMessagesTopic, dlqName } from '@chat/contracts';
import { DeadLetter, toDeadLetterRecord } from './dead-letter';
import type { BatchSource } from './source-record';

export interface DeadLetterSink {
  publish(letters: readonly DeadLetter[], from: BatchSource): Promise<void>;
}

export const INGEST_GROUP_ID = 'message-persister';

@Injectable()
export class DeadLetterPublisher implements DeadLetterSink {
  private readonly producer: Producer;

  constructor(@Inject(KAFKA) kafka: Kafka) {
    // Idempotent with acks=all: a dead letter is the only copy of a record we did not store.
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async publish(letters: readonly DeadLetter[], from: BatchSource): Promise<void> {
    if (letters.length === 0) return;
    await this.producer.send({
      topic: dlqName(ChatMessagesTopic),
      acks: -1,
      messages: letters.map((letter) => toDeadLetterRecord(letter, from, INGEST_GROUP_ID)),
    });
  }
}
