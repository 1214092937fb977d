import { Inject, Injectable } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';
import { BatchSource, DeadLetter, deadLetterTopic, KAFKA, toDeadLetterRecord } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';

export interface DeadLetterSink {
  publish(letters: readonly DeadLetter[], from: BatchSource): Promise<void>;
}

/** One producer for every consumer of the persister: each record goes to the DLQ beside its source topic. */
@Injectable()
export class DeadLetterPublisher implements DeadLetterSink {
  private readonly producer: Producer;
  /** A connect in progress, shared: consumers starting at once must not open two seed connections. */
  private connecting?: Promise<void>;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    // Idempotent with acks=all: a dead letter is the only copy of a record we did not store.
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  }

  /** Called before each consumer (re)connects; a no-op once connected. */
  connect(): Promise<void> {
    this.connecting ??= this.producer.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  async publish(letters: readonly DeadLetter[], from: BatchSource): Promise<void> {
    if (letters.length === 0) return;
    await this.producer.send({
      topic: deadLetterTopic(from),
      acks: -1,
      messages: letters.map((letter) => toDeadLetterRecord(letter, from)),
    });
  }

  /** Flushes and disconnects; only after every consumer has stopped, since a last batch may dead-letter. */
  async stop(): Promise<void> {
    await this.producer.disconnect().catch((error) => this.logger.warn({ err: error }, 'DLQ producer disconnect failed'));
  }
}
