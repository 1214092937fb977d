import { comparePersisted } from './persistence';

describe('comparePersisted', () => {
  const acked = [
    { messageId: 'a', roomId: 'r', offset: 1 },
    { messageId: 'b', roomId: 'r', offset: 2 },
    { messageId: 'c', roomId: 'r', offset: 3 },
  ];

  it('passes when every acked message is stored at its acked offset', () => {
    const rows = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['extra', 9],
    ]);
    expect(comparePersisted(acked, rows)).toEqual({ acked: 3, persisted: 3, missing: 0, offsetMismatches: 0, sampleMissing: [] });
  });

  it('names what is missing and counts offsets that disagree', () => {
    expect(comparePersisted(acked, new Map([['a', 5]]))).toEqual({ acked: 3, persisted: 1, missing: 2, offsetMismatches: 1, sampleMissing: ['r@2 b', 'r@3 c'] });
  });
});
