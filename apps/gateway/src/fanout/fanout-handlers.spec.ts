import type { KafkaMessage } from 'kafkajs';
import pino from 'pino';
import { ChatMessagesTopic, ChatSignalsTopic, encodeRecord, PresenceChangesTopic, ServerEvent } from '@chat/contracts';
import { RecentMessagesBuffer } from '../history/recent-messages.buffer';
import { MessageFanout } from './message.fanout';
import { PresenceFanout } from './presence.fanout';
import { RoomEmitter } from './room-emitter';
import { SignalFanout } from './signal.fanout';

/** A fake emitter (unit test): records what would go to the sockets. */
class RecordingEmitter implements RoomEmitter {
  readonly emits: Array<{ rooms: string | readonly string[]; event: string; payload: unknown; except?: string }> = [];
  emitToRooms(rooms: string | readonly string[], event: string, payload: unknown, except?: string): void {
    this.emits.push({ rooms, event, payload, except });
  }
}

const logger = pino({ level: 'silent' });
let nextOffset = 0;
const record = (value: string | null): KafkaMessage => ({ offset: String(nextOffset++), value: value === null ? null : Buffer.from(value) }) as KafkaMessage;
const chat = (roomId: string, i: number) =>
  encodeRecord(ChatMessagesTopic, {
    messageId: `m-${roomId}-${i}`,
    roomId,
    senderId: 'alice',
    body: `hello ${i}`,
    clientMsgId: `c-${i}`,
    sentAt: '2026-12-02T00:00:00.000Z',
  }).value;

describe('MessageFanout', () => {
  it('emits message:new per record in partition order with the record offset, skips invalid ones, and keeps them for joins', () => {
    const emitter = new RecordingEmitter();
    const buffer = new RecentMessagesBuffer();
    const records = [record(chat('general', 1)), record('not json'), record(chat('random', 2)), record(chat('general', 3))];
    const delays: number[] = [];
    new MessageFanout(emitter, buffer, logger, (seconds) => delays.push(seconds)).onRecords(0, records);
    expect(delays).toHaveLength(3);
    expect(delays.every((d) => d > 0)).toBe(true);
    expect(emitter.emits.map((e) => [e.rooms, e.event, (e.payload as { messageId: string; offset: number }).messageId])).toEqual([
      ['general', ServerEvent.MessageNew, 'm-general-1'],
      ['general', ServerEvent.MessageNew, 'm-general-3'],
      ['random', ServerEvent.MessageNew, 'm-random-2'],
    ]);
    expect(buffer.get('general').map((m) => m.offset)).toEqual([Number(records[0]?.offset), Number(records[3]?.offset)]);
  });
});

describe('SignalFanout', () => {
  const origin = { gatewayId: 'gw-1', connectionId: 'sock-1' };
  const signal = (value: object) => record(encodeRecord(ChatSignalsTopic, value as never).value);

  it('sends typing to the room except the typing socket on this gateway, and receipts to everyone', () => {
    const emitter = new RecordingEmitter();
    new SignalFanout('gw-1', emitter, logger).onRecords(0, [
      signal({ type: 'typing', roomId: 'general', userId: 'alice', typing: true, origin }),
      signal({ type: 'typing', roomId: 'general', userId: 'bob', typing: false, origin: { gatewayId: 'gw-2', connectionId: 'sock-9' } }),
      signal({ type: 'receipt', roomId: 'general', userId: 'alice', offset: 7, origin }),
      record('{}'),
    ]);
    expect(emitter.emits).toEqual([
      { rooms: 'general', event: ServerEvent.Typing, payload: { roomId: 'general', userId: 'alice', typing: true }, except: 'sock-1' },
      { rooms: 'general', event: ServerEvent.Typing, payload: { roomId: 'general', userId: 'bob', typing: false }, except: undefined },
      { rooms: 'general', event: ServerEvent.ReceiptRead, payload: { roomId: 'general', userId: 'alice', offset: 7 }, except: undefined },
    ]);
  });
});

describe('PresenceFanout', () => {
  const change = (value: object) => record(encodeRecord(PresenceChangesTopic, value as never).value);

  it('sends one presence:update to all of the user’s rooms, none for a user in no room', () => {
    const emitter = new RecordingEmitter();
    const at = '2026-12-02T00:00:00.000Z';
    new PresenceFanout(emitter, logger).onRecords(0, [
      change({ userId: 'alice', status: 'online', lastSeenAt: at, rooms: ['general', 'dm:alice:bob'] }),
      change({ userId: 'carol', status: 'offline', lastSeenAt: at, rooms: [] }),
      record(null),
    ]);
    expect(emitter.emits).toEqual([
      { rooms: ['general', 'dm:alice:bob'], event: ServerEvent.PresenceUpdate, payload: { userId: 'alice', status: 'online', lastSeenAt: at }, except: undefined },
    ]);
  });
});
