import { Kafka, KafkaMessage } from 'kafkajs';
import pino from 'pino';
import { ChatMessagesTopic, ChatSignalsTopic, encodeRecord, PresenceChangesTopic, ServerEvent } from '@chat/contracts';
import { RecentMessagesBuffer } from '../history/recent-messages.buffer';
import { FanoutConsumer, FanoutHandler } from './fanout.consumer';
import { MessageFanout } from './message.fanout';
import { PresenceFanout } from './presence.fanout';
import { RoomEmitter } from './room-emitter';
import { SignalFanout } from './signal.fanout';

/** Never connected: handleBatch is driven directly. */
const kafka = new Kafka({ brokers: ['127.0.0.1:1'] });
const logger = pino({ level: 'silent' });

class RecordingEmitter implements RoomEmitter {
  readonly emits: Array<{ rooms: string | readonly string[]; event: string }> = [];
  emitToRooms(rooms: string | readonly string[], event: string): void {
    this.emits.push({ rooms, event });
  }
}

/** A fake handler: records which records came decoded-path and which came as elsewhere. */
class RecordingHandler implements FanoutHandler {
  readonly local: string[] = [];
  readonly elsewhere: Array<[string, string]> = [];
  constructor(
    readonly topic: string,
    readonly keyedByRoom: boolean,
  ) {}
  onRecords(_partition: number, records: readonly KafkaMessage[]): void {
    this.local.push(...records.map((r) => r.offset));
  }
  onElsewhere(roomId: string, record: KafkaMessage): void {
    this.elsewhere.push([roomId, record.offset]);
  }
}

let nextOffset = 0;
const record = (key: string | null, value: string): KafkaMessage =>
  ({ offset: String(nextOffset++), key: key === null ? null : Buffer.from(key), value: Buffer.from(value) }) as KafkaMessage;
const chat = (roomId: string, i: number) =>
  record(roomId, encodeRecord(ChatMessagesTopic, { messageId: `m-${roomId}-${i}`, roomId, senderId: 'alice', body: `hi ${i}`, clientMsgId: `c-${i}`, sentAt: '2026-12-02T00:00:00.000Z' }).value);
const joined = new Set(['general']);
const consumerOf = (handlers: FanoutHandler[]) => new FanoutConsumer(kafka, 'g', handlers, logger, (roomId) => joined.has(roomId));

describe('FanoutConsumer, rooms without a local socket', () => {
  it('hands a room-keyed topic only the records of joined rooms; the others go to onElsewhere by key', async () => {
    const handler = new RecordingHandler('t', true);
    const [general, random, unkeyed, general2] = [record('general', 'a'), record('random', 'b'), record(null, 'c'), record('general', 'd')];
    await consumerOf([handler]).handleBatch({ batch: { topic: 't', partition: 0, highWatermark: '0', messages: [general, random, unkeyed, general2] } });
    expect(handler.local).toEqual([general.offset, unkeyed.offset, general2.offset]);
    expect(handler.elsewhere).toEqual([['random', random.offset]]);
  });

  it('hands a topic not keyed by room every record', async () => {
    const handler = new RecordingHandler('t', false);
    const records = [record('general', 'a'), record('random', 'b')];
    await consumerOf([handler]).handleBatch({ batch: { topic: 't', partition: 0, highWatermark: '0', messages: records } });
    expect(handler.local).toEqual(records.map((r) => r.offset));
    expect(handler.elsewhere).toEqual([]);
  });

  it('emits messages of joined rooms only, and keeps the others for a later joiner', async () => {
    const emitter = new RecordingEmitter();
    const buffer = new RecentMessagesBuffer();
    const [random2, random3] = [chat('random', 2), chat('random', 3)];
    const records = [chat('general', 1), random2, record('random', 'not json'), random3];
    await consumerOf([new MessageFanout(emitter, buffer, logger)]).handleBatch({ batch: { topic: ChatMessagesTopic.name, partition: 0, highWatermark: '0', messages: records } });
    expect(emitter.emits).toEqual([{ rooms: 'general', event: ServerEvent.MessageNew }]);
    expect(buffer.get('random').map((m) => [m.messageId, m.offset])).toEqual([
      ['m-random-2', Number(random2.offset)],
      ['m-random-3', Number(random3.offset)],
    ]);
    expect(buffer.get('general').map((m) => m.messageId)).toEqual(['m-general-1']);
  });

  it('skips by key exactly the topics whose contract keys records by roomId', () => {
    const origin = { gatewayId: 'gw', connectionId: 's' };
    const message = { messageId: 'm', roomId: 'r1', senderId: 'a', body: 'b', clientMsgId: 'c', sentAt: '2026-12-02T00:00:00.000Z' };
    expect(encodeRecord(ChatMessagesTopic, message).key).toBe('r1');
    expect(encodeRecord(ChatSignalsTopic, { type: 'typing', roomId: 'r2', userId: 'a', typing: true, origin }).key).toBe('r2');
    const emitter = new RecordingEmitter();
    expect(new MessageFanout(emitter, new RecentMessagesBuffer(), logger).keyedByRoom).toBe(true);
    expect(new SignalFanout('gw', emitter, logger).keyedByRoom).toBe(true);
    // Keyed by userId, its rooms in the payload: must see every record.
    expect(encodeRecord(PresenceChangesTopic, { userId: 'u', status: 'online', lastSeenAt: message.sentAt, rooms: ['r1'] }).key).toBe('u');
    const presence: FanoutHandler = new PresenceFanout(emitter, logger);
    expect(presence.keyedByRoom).toBeFalsy();
  });
});
