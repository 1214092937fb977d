import { Message } from '@chat/contracts';
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
