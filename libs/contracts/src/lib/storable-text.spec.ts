import { z } from 'zod';
import { UserIdSchema, RoomIdSchema } from './ids';
import { HistoryRequestSchema } from './kafka/history.topic';
import { PresenceEventSchema } from './kafka/presence.topic';
import { ChatSignalSchema } from './kafka/signals.topic';
import { BodySchema, ChatMessageRecordSchema, MAX_BODY_LENGTH, MessageSchema } from './message';
import { HistoryFetchSchema, MessageSendSchema, ReceiptReadSchema, RoomJoinSchema, RoomLeaveSchema, TypingSchema } from './socket/events';
import { isStorableText } from './storable-text';

const UNSTORABLE: ReadonlyArray<readonly [string, string]> = [
  ['U+0000', 'a\u0000b'],
  ['U+0000 alone', '\u0000'],
  ['a lone high surrogate', '\uD800'],
  ['a lone high surrogate before text', 'x\uDBFFy'],
  ['a lone low surrogate', '\uDC00'],
  ['a low surrogate before a high one', '\uDE00\uD83D'],
  ['a high surrogate at the end', 'ok \uD83D'],
];

const STORABLE: ReadonlyArray<readonly [string, string]> = [
  ['ASCII', 'hello'],
  ['an astral emoji', '\uD83D\uDE00'],
  ['a family emoji (ZWJ)', '👨‍👩‍👧'],
  ['combining marks', 'e\u0301\u0302'],
  ['RTL text', 'שלום עולם'],
  ['U+FFFF and U+FFFE', '\uFFFF\uFFFE'],
  ['a BOM', '\uFEFFtext'],
  ['CRLF and U+2028', 'a\r\nb\u2028c'],
  ['other C0 controls', '\u0001\u001F\u007F'],
];

describe('isStorableText', () => {
  it.each(UNSTORABLE)('refuses %s', (_label, text) => {
    expect(isStorableText(text)).toBe(false);
  });

  it.each(STORABLE)('accepts %s', (_label, text) => {
    expect(isStorableText(text)).toBe(true);
  });
});

const record = {
  messageId: '0190f3c4-8f3a-7000-8000-000000000001',
  roomId: 'general',
  senderId: 'alice',
  body: 'hello',
  clientMsgId: 'c-1',
  sentAt: '2026-11-24T10:00:00.000Z',
};
const origin = { gatewayId: 'gw-1', connectionId: 'conn-1' };
const at = '2026-11-24T10:00:00.000Z';

/** Every schema with a free-text or id string, and a valid payload putting `text` into that string. */
const FIELDS: ReadonlyArray<readonly [string, z.ZodType, (text: string) => unknown]> = [
  ['message:send body', MessageSendSchema, (text) => ({ roomId: 'general', clientMsgId: 'c1', body: text })],
  ['message:send clientMsgId', MessageSendSchema, (text) => ({ roomId: 'general', clientMsgId: text, body: 'hi' })],
  ['message:send roomId', MessageSendSchema, (text) => ({ roomId: `general${text}`, clientMsgId: 'c1', body: 'hi' })],
  ['record body', ChatMessageRecordSchema, (text) => ({ ...record, body: text })],
  ['record clientMsgId', ChatMessageRecordSchema, (text) => ({ ...record, clientMsgId: text })],
  ['record messageId', ChatMessageRecordSchema, (text) => ({ ...record, messageId: text })],
  ['record senderId', ChatMessageRecordSchema, (text) => ({ ...record, senderId: `alice${text}` })],
  ['message body', MessageSchema, (text) => ({ ...record, body: text, offset: 1 })],
  ['room:join roomId', RoomJoinSchema, (text) => ({ roomId: `general${text}` })],
  ['room:leave roomId', RoomLeaveSchema, (text) => ({ roomId: `general${text}` })],
  ['dm roomId', RoomJoinSchema, (text) => ({ roomId: `dm:alice:bob${text}` })],
  ['history:fetch roomId', HistoryFetchSchema, (text) => ({ roomId: `general${text}` })],
  ['typing roomId', TypingSchema, (text) => ({ roomId: `general${text}`, typing: true })],
  ['receipt:read roomId', ReceiptReadSchema, (text) => ({ roomId: `general${text}`, offset: 1 })],
  ['history request userId', HistoryRequestSchema, (text) => ({ mode: 'read-state', roomId: 'general', userId: `bob${text}` })],
  ['signal gatewayId', ChatSignalSchema, (text) => ({ type: 'typing', roomId: 'general', userId: 'bob', typing: true, origin: { ...origin, gatewayId: text } })],
  ['signal connectionId', ChatSignalSchema, (text) => ({ type: 'receipt', roomId: 'general', userId: 'bob', offset: 1, origin: { ...origin, connectionId: `c${text}` } })],
  ['presence gatewayId', PresenceEventSchema, (text) => ({ type: 'gateway_stopped', gatewayId: text, at })],
  ['presence connectionId', PresenceEventSchema, (text) => ({ type: 'connection_opened', gatewayId: 'gw', connectionId: text, userId: 'bob', at })],
];

describe.each(FIELDS)('%s', (_field, schema, payloadWith) => {
  it('accepts plain text (the fixture is valid)', () => {
    expect(schema.safeParse(payloadWith('x')).success).toBe(true);
  });

  it.each(UNSTORABLE)('refuses %s', (_label, text) => {
    expect(schema.safeParse(payloadWith(text)).success).toBe(false);
  });
});

describe('ids', () => {
  it.each(['alice\n', 'ali\u0000ce'])('refuses the user id %j', (id) => {
    expect(UserIdSchema.safeParse(id).success).toBe(false);
  });

  it.each(['general\n', 'gen\u0000eral'])('refuses the room id %j', (id) => {
    expect(RoomIdSchema.safeParse(id).success).toBe(false);
  });
});

describe('body length', () => {
  it('counts UTF-16 code units, as before: 2000 astral characters fill it', () => {
    expect(BodySchema.safeParse('😀'.repeat(MAX_BODY_LENGTH / 2)).success).toBe(true);
    expect(BodySchema.safeParse(`${'😀'.repeat(MAX_BODY_LENGTH / 2)}x`).success).toBe(false);
  });

  it('accepts every storable corpus string', () => {
    for (const [, text] of STORABLE) expect(BodySchema.safeParse(text).success).toBe(true);
  });
});
