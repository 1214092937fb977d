import { analyticsKeys, errorField } from '@chat/contracts';
import { OpsModel } from '../testing/ops-model';
import { messageRecord, opsLog, presenceChange, receiptSignal, sourceRecords, typingSignal } from '../testing/records';
import { delayBucket } from './delay-sketch';
import { planBatch, PlanContext } from './planner';

const keys = analyticsKeys('t');
const T = Date.parse('2026-11-24T10:00:00.000Z');
const SEC = T / 1000;
const MIN = T / 60_000;
const windows = { secondsKeptMs: 300_000, minutesKeptMs: 86_400_000 };
const at = (now: number): PlanContext => ({ keys, windows, now });

describe('planBatch', () => {
  it('counts a batch of messages into totals, seconds and minutes, globally and per room, aggregated', () => {
    const messages = [
      messageRecord({ roomId: 'dm:a:b', senderId: 'a', body: 'héllo' }),
      messageRecord({ roomId: 'dm:a:b', senderId: 'b', body: 'hi' }),
      messageRecord({ roomId: 'dm:a:b', senderId: 'a', body: 'x', sentAt: '2026-11-24T10:00:01.500Z' }),
      messageRecord({ roomId: 'general', senderId: 'c' }),
    ];
    const plan = planBatch('chat.messages.v1', sourceRecords('message', messages), null, at(T + 2000));
    const model = new OpsModel().apply(plan.ops);
    expect(model.field(keys.totals(), 'messages')).toBe(4);
    expect(model.field(keys.roomTotals('dm:a:b'), 'bytes')).toBe(6 + 2 + 1);
    expect(model.field(keys.roomSecond(SEC, 'dm:a:b'), 'messages')).toBe(2);
    expect(model.field(keys.roomSecond(SEC + 1, 'dm:a:b'), 'messages')).toBe(1);
    expect(model.field(keys.roomMinute(MIN, 'dm:a:b'), 'messages')).toBe(3);
    expect(model.field(keys.minute(MIN), 'messages')).toBe(4);
    expect(model.sets.get(keys.roomSenders(MIN, 'dm:a:b'))).toEqual(new Set(['a', 'b']));
    expect(model.sets.get(keys.senders(MIN))).toEqual(new Set(['a', 'b', 'c']));
    expect(model.zsets.get(keys.topRooms(MIN))).toEqual(new Map([['dm:a:b', 3], ['general', 1]]));
    // One HINCRBY per key and field, however many records: the script stays small under load.
    expect(plan.ops.filter((op) => op[0] === 'HINCRBY' && op[1] === keys.minute(MIN) && op[2] === 'messages')).toHaveLength(1);
    expect(plan).toMatchObject({ nextOffset: '4', counted: 4, skipped: 0, invalid: 0 });
  });

  it('expires each bucket at a time fixed by the bucket itself, the same however late it is applied', () => {
    const records = sourceRecords('message', [messageRecord()]);
    const early = new OpsModel().apply(planBatch('chat.messages.v1', records, null, at(T + 10)).ops);
    const late = new OpsModel().apply(planBatch('chat.messages.v1', records, null, at(T + 60_000)).ops);
    expect(early.expiries.get(keys.second(SEC))).toBe(T + 1000 + 300_000);
    expect(early.expiries.get(keys.minute(MIN))).toBe(T + 60_000 + 86_400_000);
    expect(late.expiries).toEqual(early.expiries);
    expect(early.expiries.has(keys.totals())).toBe(false);
  });

  it('skips records below the stored next offset, and advances only past what it saw', () => {
    const records = sourceRecords('message', [messageRecord(), messageRecord(), messageRecord()], 10);
    const plan = planBatch('chat.messages.v1', records, '12', at(T));
    expect(plan).toMatchObject({ nextOffset: '13', counted: 1, skipped: 2 });
    expect(new OpsModel().apply(plan.ops).field(keys.totals(), 'messages')).toBe(1);
    const replay = planBatch('chat.messages.v1', records, '13', at(T));
    expect(replay).toMatchObject({ ops: [], nextOffset: '13', counted: 0, skipped: 3 });
  });

  it('buckets by the record time: a late record lands in its own minute, and not in seconds already expired', () => {
    const sixMinutesLater = T + 6 * 60_000;
    const model = new OpsModel().apply(planBatch('chat.messages.v1', sourceRecords('message', [messageRecord()]), null, at(sixMinutesLater)).ops);
    expect(model.field(keys.minute(MIN), 'messages')).toBe(1);
    expect(model.hashes.has(keys.second(SEC))).toBe(false);
    const dayLater = new OpsModel().apply(planBatch('chat.messages.v1', sourceRecords('message', [messageRecord()]), null, at(T + 25 * 3600_000)).ops);
    expect([...dayLater.hashes.keys()].sort()).toEqual([keys.roomTotals('general'), keys.totals()].sort());
  });

  it('records the delivery delay, sentAt to consumed, in the minute sketch', () => {
    const model = new OpsModel().apply(planBatch('chat.messages.v1', sourceRecords('message', [messageRecord(), messageRecord()]), null, at(T + 250)).ops);
    expect(model.field(keys.delay(MIN), String(delayBucket(250)))).toBe(2);
  });

  it('a rebuild (measureDelay false) leaves the delay sketch alone and counts the rest as live', () => {
    const records = sourceRecords('message', [messageRecord(), messageRecord()]);
    const live = new OpsModel().apply(planBatch('chat.messages.v1', records, null, at(T + 250)).ops);
    const rebuilt = new OpsModel().apply(planBatch('chat.messages.v1', records, null, { ...at(T + 250), measureDelay: false }).ops);
    expect(rebuilt.hashes.has(keys.delay(MIN))).toBe(false);
    expect(rebuilt.field(keys.roomMinute(MIN, 'general'), 'messages')).toBe(live.field(keys.roomMinute(MIN, 'general'), 'messages'));
  });

  it('counts typing signals and read receipts at the record timestamp', () => {
    const records = sourceRecords('signal', [typingSignal('general'), typingSignal('general', 'bob'), receiptSignal('general')], 0, T + 61_000);
    const model = new OpsModel().apply(planBatch('chat.signals.v1', records, null, at(T + 62_000)).ops);
    expect(model.field(keys.roomMinute(MIN + 1, 'general'), 'typing')).toBe(2);
    expect(model.field(keys.minute(MIN + 1), 'receipts')).toBe(1);
    expect(model.field(keys.second(SEC + 61), 'typing')).toBe(2);
  });

  it('keeps the online set by transitions, in order, and samples its size into the buckets', () => {
    const records = sourceRecords('presence', [
      presenceChange('alice', 'online', '2026-11-24T10:00:00.000Z'),
      presenceChange('bob', 'online', '2026-11-24T10:00:00.100Z'),
      presenceChange('alice', 'offline', '2026-11-24T10:00:01.000Z'),
      presenceChange('alice', 'online', '2026-11-24T10:00:02.000Z'),
    ]);
    const model = new OpsModel().apply(planBatch('presence.changes.v1', records, null, at(T + 3000)).ops);
    expect(model.sets.get(keys.online())).toEqual(new Set(['alice', 'bob']));
    expect(model.field(keys.second(SEC), 'online')).toBe(2);
    expect(model.field(keys.second(SEC + 1), 'online')).toBe(1);
    expect(model.field(keys.minute(MIN), 'online')).toBe(2);
  });

  it('counts ops.logs records per level and service, and their messages', () => {
    const records = sourceRecords('log', [opsLog(), opsLog(), opsLog({ service: 'presence', level: 'warn', message: 'slow' })]);
    const model = new OpsModel().apply(planBatch('ops.logs.v1', records, null, at(T + 1000)).ops);
    expect(model.field(keys.errors(MIN), errorField('error', 'gateway'))).toBe(2);
    expect(model.field(keys.errors(MIN), errorField('warn', 'presence'))).toBe(1);
    expect(model.zsets.get(keys.errorMessages(MIN))?.get(JSON.stringify(['gateway', 'error', 'produce failed']))).toBe(2);
  });

  it('leaves out records that break the contract, and still moves past them', () => {
    const records = [...sourceRecords('message', [messageRecord()]), { key: null, value: Buffer.from('{"nope":1}'), offset: '1', timestamp: String(T) }];
    const plan = planBatch('chat.messages.v1', records, null, at(T));
    expect(plan).toMatchObject({ counted: 1, invalid: 1, nextOffset: '2' });
  });
});
