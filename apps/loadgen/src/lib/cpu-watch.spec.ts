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
    const startedAt = performance.now();
    const from = watch.snapshot();
    // A fixed amount of CPU, not of wall time: on a busy machine 150 ms of wall may hold little CPU.
    const before = process.cpuUsage();
    while (process.cpuUsage(before).user < 100_000) Math.sqrt(Math.random());
    const report = watch.report(from, watch.snapshot());
    const wallSec = (performance.now() - startedAt) / 1000;
    expect(report.wallSec).toBeGreaterThan(0);
    expect(report.processes['self']).toBeGreaterThanOrEqual(0);
    // ≥ 100 ms of CPU over a window no longer than ours (rounded to 0.1 %).
    expect((report.loadgenPercent / 100) * wallSec).toBeGreaterThanOrEqual(0.095);
    expect(report.machineBusyPercent).toBeGreaterThan(0);
    expect(formatCpu(report)).toMatch(/^self \d+(\.\d)?%, loadgen/);
  });
});
