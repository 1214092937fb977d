import { CpuWatch, formatCpu, parseCpuTargets, parseProcStat, parseStat } from './cpu-watch';
import { parseVmRssKiB } from './self-probe';

describe('/proc parsing', () => {
  it('reads ppid and utime+stime from a stat line, even with spaces and parentheses in the name', () => {
    const line = '4242 (node (gw) a) S 100 4242 4242 0 -1 4194560 1000 0 0 0 250 75 0 0 20 0 11 0 12345 100000 2000';
    expect(parseStat(line)).toEqual({ ppid: 100, ticks: 325 });
    expect(parseStat('garbage')).toBeUndefined();
  });

  it('reads busy and total ticks of the machine', () => {
    expect(parseProcStat('cpu  100 5 50 800 20 0 5 0 0 0\ncpu0 1 2 3 4')).toEqual({ busy: 160, total: 980 });
  });

  it('reads VmRSS in KiB', () => {
    expect(parseVmRssKiB('Name:\tnode\nVmPeak:\t  99 kB\nVmRSS:\t  123456 kB\nVmData:\t1 kB\n')).toBe(123456);
    expect(parseVmRssKiB('Name:\tkthreadd\n')).toBeUndefined();
  });

  it('parses name=pid[+] lists', () => {
    expect(parseCpuTargets('')).toEqual([]);
    expect(parseCpuTargets('a=1, b=2+')).toEqual([
      { name: 'a', pid: 1, tree: false },
      { name: 'b', pid: 2, tree: true },
    ]);
    expect(() => parseCpuTargets('a=x')).toThrow();
  });
});

describe('CpuWatch', () => {
  it('measures this process and the machine over a window', async () => {
    const watch = new CpuWatch([{ name: 'self', pid: process.pid, tree: false }], 2);
    const from = watch.snapshot();
    const until = Date.now() + 150;
    while (Date.now() < until) Math.sqrt(Math.random()); // burn CPU
    const report = watch.report(from, watch.snapshot());
    expect(report.wallSec).toBeGreaterThan(0.1);
    expect(report.processes['self']).toBeGreaterThanOrEqual(0);
    expect(report.loadgenPercent).toBeGreaterThan(30);
    expect(report.machineBusyPercent).toBeGreaterThan(0);
    expect(formatCpu(report)).toMatch(/^self \d+(\.\d)?%, loadgen/);
  });
});
