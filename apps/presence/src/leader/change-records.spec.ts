import { iso, T0 } from '../testing/events';
import { MAX_ROOMS_PER_CHANGE, PresenceChangesTopic } from '@chat/contracts';
import { toChangeRecords } from './change-records';

const change = (rooms: string[]) => ({ userId: 'alice', status: 'offline', lastSeenAt: iso(T0), rooms });

describe('toChangeRecords', () => {
  it('keys each change by user id and keeps outbox order', () => {
    const { changes, statuses, broken } = toChangeRecords([
      { id: '1-0', value: JSON.stringify({ ...change([]), status: 'online' }) },
      { id: '2-0', value: JSON.stringify(change(['lobby'])) },
    ]);
    expect(changes.map((c) => [PresenceChangesTopic.key(c), c.rooms])).toEqual([
      ['alice', []],
      ['alice', ['lobby']],
    ]);
    expect(statuses).toEqual(['online', 'offline']);
    expect(broken).toEqual([]);
  });

  it('splits a user in more rooms than one record may carry', () => {
    const rooms = Array.from({ length: MAX_ROOMS_PER_CHANGE + 5 }, (_, i) => `r${i}`);
    const { changes } = toChangeRecords([{ id: '1-0', value: JSON.stringify(change(rooms)) }]);
    expect(changes.map((c) => c.rooms.length)).toEqual([MAX_ROOMS_PER_CHANGE, 5]);
  });

  it('reports an entry that breaks the contract instead of blocking the outbox', () => {
    const rooms = Array.from({ length: MAX_ROOMS_PER_CHANGE + 1 }, (_, i) => (i === MAX_ROOMS_PER_CHANGE ? 'Bad Room' : `r${i}`));
    const { changes, broken } = toChangeRecords([
      { id: '1-0', value: '{oops' },
      { id: '2-0', value: JSON.stringify({ ...change([]), userId: 'no spaces allowed' }) },
      // Broken only in its second part: the whole entry is dropped, not half of it produced.
      { id: '3-0', value: JSON.stringify(change(rooms)) },
      { id: '4-0', value: JSON.stringify(change([])) },
    ]);
    expect(broken.map((b) => b.id)).toEqual(['1-0', '2-0', '3-0']);
    expect(changes).toHaveLength(1);
  });
});
