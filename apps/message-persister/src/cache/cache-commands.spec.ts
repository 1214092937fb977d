import { message } from '../testing/fixtures';
import { assertPipelineSucceeded, cacheCommands } from './cache-commands';
import { RedisKeys } from '@chat/contracts';

describe('cacheCommands', () => {
  it('adds each room in one ZADD scored by offset, then trims it to the newest N', () => {
    const a1 = message(1, { roomId: 'a' });
    const b5 = message(5, { roomId: 'b' });
    const a2 = message(2, { roomId: 'a' });
    expect(cacheCommands([a1, b5, a2], 200)).toEqual([
      ['zadd', RedisKeys.recentHistory('a'), 1, JSON.stringify(a1), 2, JSON.stringify(a2)],
      ['zremrangebyrank', RedisKeys.recentHistory('a'), 0, -201],
      ['zadd', RedisKeys.recentHistory('b'), 5, JSON.stringify(b5)],
      ['zremrangebyrank', RedisKeys.recentHistory('b'), 0, -201],
    ]);
  });

  it('issues nothing for an empty batch', () => {
    expect(cacheCommands([], 10)).toEqual([]);
  });

  it('uses one key per room under chat:recent:', () => {
    expect(RedisKeys.recentHistory('dm:alice:bob')).toBe('chat:recent:dm:alice:bob');
  });
});

describe('assertPipelineSucceeded', () => {
  const commands = cacheCommands([message(1)], 10);

  it('accepts a pipeline whose commands all succeeded', () => {
    expect(() => assertPipelineSucceeded([[null, 1], [null, 0]], commands)).not.toThrow();
  });

  it('throws naming the failed command', () => {
    expect(() => assertPipelineSucceeded([[null, 1], [new Error('OOM'), null]], commands)).toThrow(/zremrangebyrank .*OOM/);
  });

  it('throws when the pipeline did not run', () => {
    expect(() => assertPipelineSucceeded(null, commands)).toThrow(/not executed/);
  });
});
