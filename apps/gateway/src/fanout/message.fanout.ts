import type { KafkaMessage } from 'kafkajs';
import { ChatMessagesTopic, decodeRecord, Message, ServerEvent, toMessage } from '@chat/contracts';
import type { Logger } from '@chat/logging';
import { RecentMessagesBuffer } from '../history/recent-messages.buffer';
import { FanoutHandler } from './fanout.consumer';
import { RoomEmitter } from './room-emitter';

/** chat.messages.v1 → message:new to the room's local sockets, in partition order. */
export class MessageFanout implements FanoutHandler {
  readonly topic = ChatMessagesTopic.name;
  readonly keyedByRoom = true;

  constructor(
    private readonly emitter: RoomEmitter,
    private readonly buffer: RecentMessagesBuffer,
    private readonly logger: Logger,
    /** Told each emitted message's delay since it was accepted, in seconds. */
    private readonly observeDelay: (seconds: number) => void = () => undefined,
  ) {}

  /** Kept for a later joiner, decoded only then. */
  onElsewhere(roomId: string, record: KafkaMessage): void {
    if (record.value) this.buffer.addEncoded(roomId, Number(record.offset), record.value);
  }

  onRecords(partition: number, records: readonly KafkaMessage[]): void {
    const byRoom = new Map<string, Message[]>();
    for (const record of records) {
      const decoded = decodeRecord(ChatMessagesTopic, record.value);
      if (!decoded.ok) {
        // The persister dead-letters it; a gateway only has nothing to show.
        this.logger.warn({ partition, offset: record.offset, error: decoded.error }, 'skipping invalid chat message');
        continue;
      }
      const message = toMessage(decoded.value, Number(record.offset));
      this.buffer.add(message);
      const list = byRoom.get(message.roomId);
      if (list) list.push(message);
      else byRoom.set(message.roomId, [message]);
    }
    for (const [roomId, messages] of byRoom) {
      for (const message of messages) {
        this.emitter.emitToRooms(roomId, ServerEvent.MessageNew, message);
        this.observeDelay(Math.max(0, Date.now() - Date.parse(message.sentAt)) / 1000);
      }
    }
  }
}
