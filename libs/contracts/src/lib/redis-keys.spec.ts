import { z } from 'zod';
import { Message, toMessage } from './message';
import { jsonCodec } from './redis-codec';
import { RedisValues } from './redis-keys';

const message: Message = toMessage(
  { messageId: 'm-1', roomId: 'general', senderId: 'alice', body: 'hi', clientMsgId: 'c-1', sentAt: '2026-01-01T00:00:00.000Z' },
  7,
);

describe('RedisValues.recentMessage', () => {
  const codec = RedisValues.recentMessage;

  it('round-trips a message', () => {
    expect(codec.decode(codec.encode(message))).toEqual({ ok: true, value: message });
  });

  it('encodes equal messages to the same member whatever their key order', () => {
    const reordered: Message = { offset: 7, sentAt: message.sentAt, body: 'hi', clientMsgId: 'c-1', senderId: 'alice', roomId: 'general', messageId: 'm-1' };
    expect(codec.encode(reordered)).toBe(codec.encode(message));
    // The order the gateways have always read: what the persister wrote before the codec existed.
    expect(codec.encode(reordered)).toBe(JSON.stringify(message));
  });

  it('refuses to write a value that is not a message', () => {
    expect(() => codec.encode({ ...message, offset: -1 })).toThrow();
  });

  it('decodes a member that is not JSON, or not a message, to an error', () => {
    expect(codec.decode('not json')).toEqual({ ok: false, error: 'value is not JSON' });
    const missing = codec.decode(JSON.stringify({ ...message, body: undefined }));
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.error).toContain('body');
  });
});

describe('jsonCodec', () => {
  it('strips what the schema does not know on decode', () => {
    const codec = jsonCodec(z.object({ a: z.number() }));
    expect(codec.decode('{"a":1,"b":2}')).toEqual({ ok: true, value: { a: 1 } });
  });
});
