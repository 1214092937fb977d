import { Producer } from 'kafkajs';
import { ChatSignal, ChatSignalsTopic, ErrorCode, ProtocolError } from '@chat/contracts';
import { produce } from '@chat/kafka';

/** Publishes typing and receipt signals; the client's ack waits for Kafka. */
export class SignalPublisher {
  constructor(private readonly producer: Producer) {}

  async start(): Promise<void> {
    await this.producer.connect();
  }

  async publish(signal: ChatSignal): Promise<void> {
    try {
      await produce(this.producer, ChatSignalsTopic, [signal]);
    } catch (error) {
      throw new ProtocolError(ErrorCode.UNAVAILABLE, `signal not delivered: ${(error as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }
}
