import { message } from '../testing/fixtures';
import { MessageRow, rowToMessage, toColumns } from './message-row';

const row: MessageRow = {
  message_id: 'm1',
  room_id: 'lobby',
  sender_id: 'alice',
  client_msg_id: 'c1',
  body: 'hi',
  kafka_offset: '42',
  sent_at: new Date('2025-01-01T12:00:00.123Z'),
};

describe('rowToMessage', () => {
  it('maps a row to a Message with the contract key order and a numeric offset', () => {
    const mapped = rowToMessage(row);
    expect(JSON.stringify(mapped)).toBe(
      '{"messageId":"m1","roomId":"lobby","senderId":"alice","body":"hi","clientMsgId":"c1","offset":42,"sentAt":"2025-01-01T12:00:00.123Z"}',
    );
  });

  it('refuses an offset JSON numbers cannot carry exactly', () => {
    expect(() => rowToMessage({ ...row, kafka_offset: '9007199254740993' })).toThrow(/exceeds 2\^53/);
  });
});

describe('toColumns', () => {
  it('turns messages into one array per column, in insert order', () => {
    const a = message(1, { messageId: 'a' });
    const b = message(2, { messageId: 'b' });
    const columns = toColumns([a, b]);
    expect(columns).toHaveLength(7);
    expect(columns[0]).toEqual(['a', 'b']);
    expect(columns[5]).toEqual(['1', '2']);
    expect(columns[6]).toEqual([a.sentAt, b.sentAt]);
  });
});
