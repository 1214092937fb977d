import { analyticsKeys, AnalyticsKeys, errorField, parseErrorField } from './analytics-keys';

describe('AnalyticsKeys', () => {
  it('keeps rooms with colons apart from the bucket number and from each other', () => {
    const rooms = ['general', 'dm:a:b', 'dm:a:b1', 'a', 'b'];
    const keys = new Set<string>();
    for (const room of rooms) {
      for (const n of [1, 11, 111]) {
        keys.add(AnalyticsKeys.roomMinute(n, room));
        keys.add(AnalyticsKeys.roomSecond(n, room));
        keys.add(AnalyticsKeys.roomSenders(n, room));
      }
      keys.add(AnalyticsKeys.roomTotals(room));
    }
    expect(keys.size).toBe(rooms.length * 3 * 3 + rooms.length);
    expect(AnalyticsKeys.roomMinute(29_000_000, 'dm:a:b')).toBe('analytics:room-min:29000000:dm:a:b');
  });

  it('refuses a bucket that is not a non-negative integer', () => {
    expect(() => AnalyticsKeys.minute(1.5)).toThrow(/non-negative integer/);
    expect(() => AnalyticsKeys.second(-1)).toThrow(/non-negative integer/);
  });

  it('keeps a key space apart and refuses one that could collide', () => {
    expect(analyticsKeys('analytics-test-1').totals()).toBe('analytics-test-1:totals');
    expect(() => analyticsKeys('a:b')).toThrow(/key space/);
    expect(() => analyticsKeys('')).toThrow(/key space/);
  });

  it('round-trips an error field whose service is free text after the level', () => {
    expect(parseErrorField(errorField('error', 'message-persister'))).toEqual({ level: 'error', service: 'message-persister' });
  });
});
