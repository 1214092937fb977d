import type { KafkaMessage } from 'kafkajs';
import { decodeRecord, PresenceChangesTopic, PresenceUpdate, ServerEvent } from '@chat/contracts';
import type { Logger } from '@chat/logging';
import { FanoutHandler } from './fanout.consumer';
import { RoomEmitter } from './room-emitter';

/**
 * presence.changes.v1 → presence:update to local sockets in the user's rooms. One Kafka record
 * per transition, fanned out here: never one record per member.
 */
export class PresenceFanout implements FanoutHandler {
  readonly topic = PresenceChangesTopic.name;

  constructor(
    private readonly emitter: RoomEmitter,
    private readonly logger: Logger,
  ) {}

  onRecords(partition: number, records: readonly KafkaMessage[]): void {
    for (const record of records) {
      const decoded = decodeRecord(PresenceChangesTopic, record.value);
      if (!decoded.ok) {
        this.logger.warn({ partition, offset: record.offset, error: decoded.error }, 'skipping invalid presence change');
        continue;
      }
      const { userId, status, lastSeenAt, rooms } = decoded.value;
      if (rooms.length === 0) continue;
      const update: PresenceUpdate = { userId, status, lastSeenAt };
      this.emitter.emitToRooms(rooms, ServerEvent.PresenceUpdate, update);
    }
  }
}
