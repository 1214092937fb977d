import { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { ChatMessagesTopic, decodeRecord, Message, toMessage } from '@chat/contracts';
import type { Logger } from '@chat/logging';
import { RecentMessagesBuffer } from '../history/recent-messages.buffer';

/** Where consumed messages go: the sockets of this gateway that joined the room. */
export interface RoomEmitter {
  emitMessages(roomId: string, messages: readonly Message[]): void;
}

/**
 * Consumes chat.messages.v1 in a consumer group of this instance alone, so every gateway sees
 * every message, and pushes each to its local sockets in the room, in partition order.
 */
export class MessageFanoutConsumer {
  private readonly consumer: Consumer;

  constructor(
    kafka: Kafka,
    readonly groupId: string,
    private readonly emitter: RoomEmitter,
    private readonly buffer: RecentMessagesBuffer,
    private readonly logger: Logger,
  ) {
    this.consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50 });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: ChatMessagesTopic.name, fromBeginning: false });
    const joined = new Promise<void>((resolve) => this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve()));
    await this.consumer.run({ eachBatch: (payload) => this.onBatch(payload) });
    await joined;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  private async onBatch({ batch }: EachBatchPayload): Promise<void> {
    const byRoom = new Map<string, Message[]>();
    for (const record of batch.messages) {
      const decoded = decodeRecord(ChatMessagesTopic, record.value);
      if (!decoded.ok) {
        // The persister dead-letters it; a gateway only has nothing to show.
        this.logger.warn({ partition: batch.partition, offset: record.offset, error: decoded.error }, 'skipping invalid chat message');
        continue;
      }
      const message = toMessage(decoded.value, Number(record.offset));
      this.buffer.add(message);
      const list = byRoom.get(message.roomId);
      if (list) list.push(message);
      else byRoom.set(message.roomId, [message]);
    }
    for (const [roomId, messages] of byRoom) this.emitter.emitMessages(roomId, messages);
  }
}
