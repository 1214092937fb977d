import { parseRebuildArgs } from './rebuild-command';
import { RebuildRefusedError } from './rebuild-lock';

describe('parseRebuildArgs', () => {
  it('reads --since as a separate or joined value', () => {
    expect(parseRebuildArgs(['--since', '2h'])).toBe(7_200_000);
    expect(parseRebuildArgs(['--since=30m'])).toBe(1_800_000);
  });

  it.each([[[]], [['--since']], [['--since', '2x']], [['--since', '2h', 'extra']], [['--from', '2h']]])('refuses %j with the usage', (args) => {
    expect(() => parseRebuildArgs(args)).toThrow(RebuildRefusedError);
    expect(() => parseRebuildArgs(args)).toThrow(/usage: rebuild --since/);
  });
});
