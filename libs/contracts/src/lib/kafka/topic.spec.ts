import { ChatMessagesTopic } from './chat-messages.topic';
import { HistoryRequestsTopic } from './history.topic';
import { decodeRecord, dlqName, encodeRecord } from './topic';
import { ALL_TOPICS } from './topics';

const record = {
  messageId: '0190f3c4-8f3a-7000-8000-000000000001',
  roomId: 'general',
  senderId: 'alice',
  body: 'hello',
  clientMsgId: 'c-1',
  sentAt: '2026-11-24T10:00:00.000Z',
};

describe('topic codec', () => {
  it('encodes a valid payload keyed by its room', () => {
    const encoded = encodeRecord(ChatMessagesTopic, record);
    expect(encoded.key).toBe('general');
    expect(JSON.parse(encoded.value)).toEqual(record);
  });

  it('refuses to produce a payload that breaks the contract', () => {
    expect(() => encodeRecord(ChatMessagesTopic, { ...record, body: '' })).toThrow();
    expect(() => encodeRecord(ChatMessagesTopic, { ...record, roomId: 'Bad Room' })).toThrow();
  });

  it('decodes what it encoded', () => {
    const decoded = decodeRecord(ChatMessagesTopic, Buffer.from(encodeRecord(ChatMessagesTopic, record).value));
    expect(decoded).toEqual({ ok: true, value: record });
  });

  it.each([
    ['no value', null],
    ['not JSON', Buffer.from('{nope')],
    ['a missing field', Buffer.from(JSON.stringify({ ...record, senderId: undefined }))],
    ['a bad timestamp', Buffer.from(JSON.stringify({ ...record, sentAt: 'yesterday' }))],
  ])('reports a record with %s as invalid', (_label, value) => {
    const decoded = decodeRecord(ChatMessagesTopic, value);
    expect(decoded.ok).toBe(false);
  });

  it('validates history requests by mode', () => {
    expect(decodeRecord(HistoryRequestsTopic, JSON.stringify({ mode: 'after', roomId: 'general', afterOffset: 3, limit: 10 })).ok).toBe(true);
    expect(decodeRecord(HistoryRequestsTopic, JSON.stringify({ mode: 'after', roomId: 'general', limit: 10 })).ok).toBe(false);
    expect(decodeRecord(HistoryRequestsTopic, JSON.stringify({ mode: 'latest', roomId: 'general', limit: 5000 })).ok).toBe(false);
  });

  it('declares every topic once, each DLQ beside its source', () => {
    const names = ALL_TOPICS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain(dlqName(ChatMessagesTopic));
    for (const topic of ALL_TOPICS) expect(topic.partitions).toBeGreaterThan(0);
  });
});
