import { CpuProfile, formatProfile, packageOf, summarizeProfile } from './cpuprofile';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

/** root → main (app) → send (kafkajs) → write (native); root → (idle); root → (garbage collector) */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
    { id: 2, callFrame: frame('main', 'file:///repo/dist/apps/gateway/main.js', 9), children: [3] },
    { id: 3, callFrame: frame('send', 'file:///repo/node_modules/kafkajs/src/network/connection.js', 386), children: [4] },
    { id: 4, callFrame: frame('writeBuffer'), children: [] },
    { id: 5, callFrame: frame('(idle)'), children: [] },
    { id: 6, callFrame: frame('(garbage collector)'), children: [] },
  ],
  samples: [4, 4, 3, 2, 5, 5, 5, 5, 6],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

describe('cpuprofile summary', () => {
  it('names the package of a frame', () => {
    expect(packageOf('file:///x/node_modules/@nestjs/core/a.js', 'f')).toBe('@nestjs/core');
    expect(packageOf('file:///x/node_modules/kafkajs/src/a.js', 'f')).toBe('kafkajs');
    expect(packageOf('node:internal/streams/writable', 'f')).toBe('node:internal');
    expect(packageOf('file:///repo/dist/apps/gateway/main.js', 'f')).toBe('(app)');
    expect(packageOf('', 'writeBuffer')).toBe('(native)');
    expect(packageOf('', '(garbage collector)')).toBe('(garbage collector)');
  });

  it('adds self and inclusive time, in percent of busy (non-idle) time', () => {
    const s = summarizeProfile(profile);
    expect(s.totalMs).toBe(9);
    expect(s.busyMs).toBe(5);
    expect(s.self[0]).toEqual({ name: 'writeBuffer', where: '', ms: 2, percent: 40 });
    const main = s.inclusive.find((r) => r.name === 'main');
    expect(main).toMatchObject({ ms: 4, percent: 80, where: 'apps/gateway/main.js:10' });
    expect(s.inclusive.find((r) => r.name === 'send')).toMatchObject({ ms: 3, where: 'kafkajs/src/network/connection.js:387' });
    expect(s.byPackage.map((r) => r.name)).toEqual(['(native)', 'kafkajs', '(app)', '(garbage collector)']);
    expect(formatProfile(s)).toContain('5 ms busy');
  });
});
