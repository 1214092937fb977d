import { charts, checkTargets, markdownReport, pickLatest, ratio } from './compare';
import { chatResult, connectionsResult, rampResult } from '../testing/fixtures';

const systems: [string, string] = ['platform', 'peer'];

describe('comparison', () => {
  it('computes ratios, null when a side is missing or zero', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(1, 3)).toBe(0.33);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(undefined, 2)).toBeNull();
  });

  it('keeps the latest result per kind and system', () => {
    const older = chatResult('platform', 99, { finishedAt: '2026-01-01T00:00:30.000Z' });
    const newer = chatResult('platform', 20);
    expect(pickLatest([newer, older]).chat.get('platform')?.e2eMs.p99).toBe(20);
  });

  it('checks the targets of the issue', () => {
    const persisted = { acked: 100, persisted: 100, missing: 0, offsetMismatches: 0, waitedMs: 10, sampleMissing: [] };
    const latest = pickLatest([
      chatResult('platform', 40, { persistence: persisted }),
      chatResult('peer', 5),
      rampResult('platform', 400),
      rampResult('peer', 200),
      connectionsResult('platform', 13),
      connectionsResult('peer', 10),
    ]);
    const checks = checkTargets(latest, systems);
    expect(checks.map((c) => c.pass)).toEqual([true, true, true, true, false]);
    expect(checks[4]?.measured).toContain('1.30×');
  });

  it('fails the ramp target when neither system held a step', () => {
    const none = (system: string) => ({ ...rampResult(system, 100), steps: [], highestHeld: null });
    const ramp = checkTargets(pickLatest([none('platform'), none('peer')]), systems)[3];
    expect(ramp?.pass).toBe(false);
  });

  it('says "not measured" for what was not run', () => {
    const checks = checkTargets(pickLatest([chatResult('platform', 60)]), systems);
    expect(checks.map((c) => c.pass)).toEqual([false, true, null, null, null]);
  });

  it('writes markdown tables with ratios and links to the charts', () => {
    const md = markdownReport(
      pickLatest([chatResult('platform', 40), chatResult('peer', 4), rampResult('platform', 200), rampResult('peer', 400), connectionsResult('platform', 12), connectionsResult('peer', 10)]),
      systems,
      { 'chat-latency': 'benchmarks/chat-latency.svg' },
    );
    expect(md).toContain('Machine: Test CPU, 2 CPUs');
    expect(md).toContain('| end-to-end p99 (ms) | 40 | 4 | 10.00× |');
    expect(md).toContain('| highest rate held (msgs/s offered) | 200 | 400 | 0.50× |');
    expect(md).toContain('| RSS per idle socket (KiB) | 12 | 10 | 1.20× |');
    expect(md).toContain('![chat-latency](benchmarks/chat-latency.svg)');
    expect(md).toContain('| connections: RSS per idle socket ≤ 1.2× peer\'s | 12 vs 10 KiB (1.20×) | PASS |');
    expect(md).not.toMatch(/NaN|undefined/);
  });

  it('draws the charts that have data', () => {
    const all = charts(pickLatest([chatResult('platform', 40), chatResult('peer', 4), rampResult('platform', 200), connectionsResult('peer', 10)]), systems);
    expect(Object.keys(all).sort()).toEqual(['chat-latency', 'chat-timeline', 'connections', 'ramp-latency', 'ramp-throughput']);
    for (const svg of Object.values(all)) {
      expect(svg).toMatch(/^<svg /);
      expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    }
    expect(charts(pickLatest([]), systems)).toEqual({});
  });
  it('puts a third system beside the others, with ratios of the first to each', () => {
    const md = markdownReport(
      pickLatest([chatResult('platform', 40), chatResult('peer', 4), chatResult('centrifugo', 8), rampResult('platform', 200), rampResult('centrifugo', 400)]),
      ['platform', 'peer', 'centrifugo'],
      {},
    );
    expect(md).toContain('|  | platform | peer | centrifugo | platform/peer | platform/centrifugo |');
    expect(md).toContain('| end-to-end p99 (ms) | 40 | 4 | 8 | 10.00× | 5.00× |');
    expect(md).toContain('| highest rate held (msgs/s offered) | 200 | – | 400 | – | 0.50× |');
    expect(md).toContain('| load generator CPU · event-loop delay p99 / max (whole run) | 20% · 1 / 2 ms | 20% · 1 / 2 ms | 20% · 1 / 2 ms |  |  |');
    expect(md).toContain('Steps, centrifugo:');
    expect(md).not.toMatch(/NaN|undefined/);
    const svg = charts(pickLatest([chatResult('platform', 40), chatResult('peer', 4), chatResult('centrifugo', 8)]), ['platform', 'peer', 'centrifugo'])['chat-latency'];
    expect(svg).toContain('#16a34a');
    expect(svg).toContain('centrifugo');
  });
  it('says why a ramp ran no step instead of "ran out of steps"', () => {
    const ramp = { ...rampResult('platform', 100), steps: [], highestHeld: null, problems: ['join: 3 failed'] };
    expect(markdownReport(pickLatest([ramp]), ['platform'], {})).toContain('| first step that failed | no step run: join: 3 failed |');
  });
});
