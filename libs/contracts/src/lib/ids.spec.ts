import { directRoomId, mayAccessRoom, parseRoomId } from './ids';

describe('room ids', () => {
  it.each(['general', 'a', 'room_1-x', '0abc'])('accepts public room %s', (id) => {
    expect(parseRoomId(id)).toEqual({ kind: 'public', roomId: id });
  });

  it.each(['', 'General', '-room', '_x', 'a'.repeat(65), 'room!', 'dm:bob:alice', 'dm:alice:alice', 'dm:alice'])(
    'rejects %s',
    (id) => {
      expect(parseRoomId(id)).toBeNull();
    },
  );

  it('parses a direct room with its two members in order', () => {
    expect(parseRoomId('dm:alice:bob')).toEqual({ kind: 'direct', roomId: 'dm:alice:bob', members: ['alice', 'bob'] });
  });

  it('lets only the two members into a direct room, anyone into a public one', () => {
    expect(mayAccessRoom('alice', 'dm:alice:bob')).toBe(true);
    expect(mayAccessRoom('bob', 'dm:alice:bob')).toBe(true);
    expect(mayAccessRoom('carol', 'dm:alice:bob')).toBe(false);
    expect(mayAccessRoom('carol', 'general')).toBe(true);
    expect(mayAccessRoom('carol', 'Not A Room')).toBe(false);
  });

  it('builds the canonical direct room id whatever the argument order', () => {
    expect(directRoomId('bob', 'alice')).toBe('dm:alice:bob');
    expect(directRoomId('alice', 'bob')).toBe('dm:alice:bob');
  });
});
