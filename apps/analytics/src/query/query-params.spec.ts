import { parseRoomId, parseWindowMinutes } from './query-params';

describe('query parameters', () => {
  it.each([
    [undefined, 5],
    ['5m', 5],
    ['30s', 1],
    ['90s', 2],
    ['2h', 120],
    ['24h', 1440],
  ])('reads window %s as %i minute buckets', (input, minutes) => {
    expect(parseWindowMinutes(input)).toEqual({ ok: true, value: minutes });
  });

  it.each([['5'], ['5 m'], ['-5m'], ['0m'], ['25h'], ['5d'], [['5m', '1h']]])('refuses window %j with the reason', (input) => {
    const result = parseWindowMinutes(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(/window/);
  });

  it('takes public and direct room ids, and refuses others with the reason', () => {
    expect(parseRoomId('dm:alice:bob')).toEqual({ ok: true, value: 'dm:alice:bob' });
    const bad = parseRoomId('Bad Room');
    expect(bad.ok ? '' : bad.reason).toMatch(/room id/);
  });
});
