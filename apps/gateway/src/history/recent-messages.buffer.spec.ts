import { ChatMessagesTopic, encodeRecord, Message } from '@chat/contracts';
import { RecentMessagesBuffer } from './recent-messages.buffer';

const msg = (roomId: string, offset: number): Message => ({
  messageId: `${roomId}-${offset}`,
  roomId,
  senderId: 'alice',
  body: 'b',
  clientMsgId: `c${offset}`,
  offset,
  sentAt: new Date(0).toISOString(),
});

describe('RecentMessagesBuffer', () => {
  it('keeps the last messages of each room in order', () => {
    const buffer = new RecentMessagesBuffer(3, 100);
    for (let i = 0; i < 5; i++) buffer.add(msg('a', i));
    expect(buffer.get('a').map((m) => m.offset)).toEqual([2, 3, 4]);
    expect(buffer.get('unknown')).toEqual([]);
  });

  it('evicts the room written least recently when over its total', () => {
    const buffer = new RecentMessagesBuffer(10, 4);
    buffer.add(msg('a', 1));
    buffer.add(msg('b', 1));
    buffer.add(msg('a', 2));
    buffer.add(msg('c', 1));
    buffer.add(msg('c', 2)); // 5 > 4: b goes (a was written after it)
    expect(buffer.get('b')).toEqual([]);
    expect(buffer.get('a')).toHaveLength(2);
    expect(buffer.get('c')).toHaveLength(2);
  });
});

describe('RecentMessagesBuffer with encoded records', () => {
  const encoded = (roomId: string, i: number) =>
    Buffer.from(encodeRecord(ChatMessagesTopic, { messageId: `${roomId}-${i}`, roomId, senderId: 'bob', body: `hi ${i}`, clientMsgId: `c${i}`, sentAt: new Date(0).toISOString() }).value);

  it('decodes them on read, in order with decoded ones, with the offset it was given', () => {
    const buffer = new RecentMessagesBuffer(10, 100);
    buffer.addEncoded('a', 1, encoded('a', 1));
    buffer.add(msg('a', 2));
    buffer.addEncoded('a', 3, encoded('a', 3));
    expect(buffer.get('a').map((m) => [m.messageId, m.offset])).toEqual([
      ['a-1', 1],
      ['a-2', 2],
      ['a-3', 3],
    ]);
    // Decoded once: the second read returns the very same objects.
    expect(buffer.get('a')[0]).toBe(buffer.get('a')[0]);
  });

  it('copies the bytes, so a reused fetch buffer does not change what is kept', () => {
    const buffer = new RecentMessagesBuffer(10, 100);
    const fetched = encoded('a', 1);
    buffer.addEncoded('a', 1, fetched);
    fetched.fill(0);
    expect(buffer.get('a').map((m) => m.messageId)).toEqual(['a-1']);
  });

  it('drops invalid records and records of another room on read, and frees their room in the bound', () => {
    const buffer = new RecentMessagesBuffer(10, 3);
    buffer.addEncoded('a', 1, Buffer.from('not json'));
    buffer.addEncoded('a', 2, encoded('b', 2));
    buffer.addEncoded('a', 3, encoded('a', 3));
    expect(buffer.get('a').map((m) => m.offset)).toEqual([3]);
    buffer.add(msg('c', 1));
    buffer.add(msg('c', 2)); // 3 of 3 after the two drops: nothing is evicted
    expect(buffer.get('a')).toHaveLength(1);
    expect(buffer.get('c')).toHaveLength(2);
  });

  it('bounds encoded records like decoded ones', () => {
    const buffer = new RecentMessagesBuffer(2, 100);
    for (let i = 0; i < 4; i++) buffer.addEncoded('a', i, encoded('a', i));
    expect(buffer.get('a').map((m) => m.offset)).toEqual([2, 3]);
  });
});
