import type { KafkaMessage } from 'kafkajs';
import { ChatSignalsTopic, decodeRecord, ReceiptUpdate, ServerEvent, TypingUpdate } from '@chat/contracts';
import type { Logger } from '@chat/logging';
import { FanoutHandler } from './fanout.consumer';
import { RoomEmitter } from './room-emitter';

/** chat.signals.v1 → typing (not back to the typing socket) and receipt:read to the room. */
export class SignalFanout implements FanoutHandler {
  readonly topic = ChatSignalsTopic.name;
  readonly keyedByRoom = true;

  constructor(
    private readonly instanceId: string,
    private readonly emitter: RoomEmitter,
    private readonly logger: Logger,
  ) {}

  onRecords(partition: number, records: readonly KafkaMessage[]): void {
    for (const record of records) {
      const decoded = decodeRecord(ChatSignalsTopic, record.value);
      if (!decoded.ok) {
        this.logger.warn({ partition, offset: record.offset, error: decoded.error }, 'skipping invalid signal');
        continue;
      }
      const signal = decoded.value;
      const except = signal.origin.gatewayId === this.instanceId ? signal.origin.connectionId : undefined;
      if (signal.type === 'typing') {
        const update: TypingUpdate = { roomId: signal.roomId, userId: signal.userId, typing: signal.typing };
        this.emitter.emitToRooms(signal.roomId, ServerEvent.Typing, update, except);
      } else {
        const update: ReceiptUpdate = { roomId: signal.roomId, userId: signal.userId, offset: signal.offset };
        this.emitter.emitToRooms(signal.roomId, ServerEvent.ReceiptRead, update);
      }
    }
  }
}
