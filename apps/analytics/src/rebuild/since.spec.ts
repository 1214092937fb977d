import { parseSince, SinceError } from './since';

describe('parseSince', () => {
  it.each([
    ['30m', 30 * 60_000],
    ['2h', 2 * 3_600_000],
    ['1d', 86_400_000],
    [' 90m ', 90 * 60_000],
    ['30d', 30 * 86_400_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseSince(text)).toBe(ms);
  });

  it.each(['', '2', 'h', '0m', '-1h', '1.5h', '2 h', '2H', '10s', '1w', '31d', '2h30m', 'yesterday'])('refuses %j, naming the expected form', (text) => {
    expect(() => parseSince(text)).toThrow(SinceError);
    expect(() => parseSince(text)).toThrow(/--since .*(e\.g\. 30m, 2h, 1d|at most 30d)/);
  });
});
