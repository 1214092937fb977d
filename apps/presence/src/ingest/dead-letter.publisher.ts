import type { Producer } from 'kafkajs';
import { BatchSource, DeadLetter, deadLetterTopic, toDeadLetterRecord } from '@chat/kafka';

export interface DeadLetterSink {
  publish(letters: readonly DeadLetter[], from: BatchSource): Promise<void>;
}

/** Injection token of the presence service's DeadLetterSink. */
export const PRESENCE_DEAD_LETTERS = Symbol('PRESENCE_DEAD_LETTERS');

export class DeadLetterPublisher implements DeadLetterSink {
  constructor(private readonly producer: Producer) {}

  async publish(letters: readonly DeadLetter[], from: BatchSource): Promise<void> {
    if (letters.length === 0) return;
    await this.producer.send({
      topic: deadLetterTopic(from),
      acks: -1,
      messages: letters.map((letter) => toDeadLetterRecord(letter, from)),
    });
  }
}
