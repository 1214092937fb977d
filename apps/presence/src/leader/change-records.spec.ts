import { iso, T0 } from '../testing/events';
import { MAX_ROOMS_PER_CHANGE, toChangeRecords } from './change-records';

const change = (rooms: string[]) => ({ userId: 'alice', status: 'offline', lastSeenAt: iso(T0), rooms });

describe('toChangeRecords', () => {
  it('keys each change by user id and keeps outbox order', () => {
    const { records, statuses, broken } = toChangeRecords([
      { id: '1-0', value: JSON.stringify({ ...change([]), status: 'online' }) },
      { id: '2-0', value: JSON.stringify(change(['lobby'])) },
    ]);
    expect(records.map((r) => [r.key, JSON.parse(r.value).rooms])).toEqual([
      ['alice', []],
      ['alice', ['lobby']],
    ]);
    expect(statuses).toEqual(['online', 'offline']);
    expect(broken).toEqual([]);
  });

  it('splits a user in more rooms than one record may carry', () => {
    const rooms = Array.from({ length: MAX_ROOMS_PER_CHANGE + 5 }, (_, i) => `r${i}`);
    const { records } = toChangeRecords([{ id: '1-0', value: JSON.stringify(change(rooms)) }]);
    expect(records.map((r) => JSON.parse(r.value).rooms.length)).toEqual([MAX_ROOMS_PER_CHANGE, 5]);
  });

  it('reports an entry that breaks the contract instead of blocking the outbox', () => {
    const { records, broken } = toChangeRecords([
      { id: '1-0', value: '{oops' },
      { id: '2-0', value: JSON.stringify({ ...change([]), userId: 'no spaces allowed' }) },
      { id: '3-0', value: JSON.stringify(change([])) },
    ]);
    expect(broken.map((b) => b.id)).toEqual(['1-0', '2-0']);
    expect(records).toHaveLength(1);
  });
});
