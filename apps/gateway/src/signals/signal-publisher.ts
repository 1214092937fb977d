import { Producer } from 'kafkajs';
import { ChatSignal, ChatSignalsTopic, encodeRecord, ErrorCode, ProtocolError } from '@chat/contracts';

/** Publishes typing and receipt signals; the client's ack waits for Kafka. */
export class SignalPublisher {
  constructor(private readonly producer: Producer) {}

  async start(): Promise<void> {
    await this.producer.connect();
  }

  async publish(signal: ChatSignal): Promise<void> {
    try {
      await this.producer.send({ topic: ChatSignalsTopic.name, messages: [encodeRecord(ChatSignalsTopic, signal)] });
    } catch (error) {
      throw new ProtocolError(ErrorCode.UNAVAILABLE, `signal not delivered: ${(error as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }
}
