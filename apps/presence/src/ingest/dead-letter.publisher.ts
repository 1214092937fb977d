import { dlqName, PresenceEventsTopic } from '@chat/contracts';
import type { Producer } from 'kafkajs';
import { DeadLetter, toDeadLetterRecord } from './dead-letter';
import type { BatchSource } from './source-record';

export interface DeadLetterSink {
  publish(letters: readonly DeadLetter[], from: BatchSource): Promise<void>;
}

export class DeadLetterPublisher implements DeadLetterSink {
  constructor(
    private readonly producer: Producer,
    private readonly groupId: string,
  ) {}

  async publish(letters: readonly DeadLetter[], from: BatchSource): Promise<void> {
    if (letters.length === 0) return;
    await this.producer.send({
      topic: dlqName(PresenceEventsTopic),
      acks: -1,
      messages: letters.map((letter) => toDeadLetterRecord(letter, from, this.groupId)),
    });
  }
}
