import type { Producer, ProducerConfig } from 'kafkajs';
import { DeadLetter, deadLetterTopic, toDeadLetterRecord } from './dead-letter';
import type { BatchSource } from './source-record';

/** Where a consumer puts the records it gives up on. */
export interface DeadLetterSink {
  publish(letters: readonly DeadLetter[], from: BatchSource): Promise<void>;
}

/** Idempotent (with acks=all on every send): a dead letter is the only copy of a record not processed. */
export const DEAD_LETTER_PRODUCER_CONFIG: ProducerConfig = {
  idempotent: true,
  maxInFlightRequests: 1,
  allowAutoTopicCreation: false,
};

/**
 * Sends each dead letter to the DLQ beside its source topic. The producer is the caller's and
 * may be shared with other senders: whoever owns it connects and disconnects it, here or elsewhere.
 */
export class DeadLetterPublisher implements DeadLetterSink {
  /** A connect in progress, shared: consumers starting at once must not open two seed connections. */
  private connecting?: Promise<void>;

  constructor(private readonly producer: Producer) {}

  /** Called before each consumer (re)connects; cheap once connected. */
  connect(): Promise<void> {
    this.connecting ??= this.producer.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  async publish(
    letters: readonly DeadLetter[],
    from: BatchSource,
  ): Promise<void> {
    if (letters.length === 0) return;
    await this.producer.send({
      topic: deadLetterTopic(from),
      acks: -1,
      messages: letters.map((letter) => toDeadLetterRecord(letter, from)),
    });
  }

  /** By the producer's owner, after every consumer has stopped: a last batch may dead-letter. */
  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
