import { charts, checkTargets, markdownReport, pickLatest, ratio } from './compare';
import { CpuReport } from '../lib/cpu-watch';
import { chatResult, connectionsResult, idleResult, rampResult } from '../testing/fixtures';

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

  const cpu = (total: number): CpuReport => ({ wallSec: 60, cores: 2, machineBusyPercent: total + 10, processes: { a: total / 2, b: total / 2 }, loadgenPercent: 10, otherPercent: 0 });

  it('checks the targets of the issue', () => {
    const persisted = { acked: 100, persisted: 100, missing: 0, offsetMismatches: 0, waitedMs: 10, sampleMissing: [] };
    const latest = pickLatest([
      // 100 deliveries/s: platform 50 % of a core = 5,000 µs per delivery, peer 40 % = 4,000 µs (1.25×).
      chatResult('platform', 4, { persistence: persisted, cpu: cpu(50) }),
      chatResult('peer', 5, { cpu: cpu(40) }),
      chatResult('platform', 8, { scenario: 'lowload' }),
      rampResult('platform', 400),
      rampResult('peer', 200),
      rampResult('centrifugo', 800),
      connectionsResult('platform', 13),
      connectionsResult('peer', 10),
      idleResult('platform', cpu(4)),
    ]);
    const checks = checkTargets(latest, systems);
    expect(checks.map((c) => [c.target, c.pass])).toEqual([
      ["chat at 1,000 msgs/s: p99 end-to-end ≤ peer's (platform)", true],
      ['chat: zero loss, duplicates, order violations (platform)', true],
      ['chat: every acked message persisted (platform)', true],
      ["chat at 1,000 msgs/s: CPU per delivered message ≤ 1.5× peer's", true],
      ["ramp: highest rate held at p99 ≤ limit ≥ peer's", true],
      ["ramp (stretch): highest rate held ≥ centrifugo's", false],
      ['low load, 10 msgs/s: p99 end-to-end ≤ 10 ms (platform)', true],
      ['at rest, no clients: all of platform incl. Kafka, Redis, PostgreSQL < 5% of one core', true],
      ["connections: RSS per idle socket ≤ 1.2× peer's", false],
    ]);
    expect(checks[3]?.measured).toBe('5000 vs 4000 µs of CPU per delivery (1.25×)');
    expect(checks[7]?.measured).toBe('4% (a 2%, b 2%)');
    expect(checks[8]?.measured).toContain('1.30×');
  });

  it('fails the targets where the platform is behind', () => {
    const latest = pickLatest([
      chatResult('platform', 6, { cpu: cpu(80) }),
      chatResult('peer', 5, { cpu: cpu(40) }),
      chatResult('platform', 12, { scenario: 'lowload' }),
      idleResult('platform', cpu(6)),
    ]);
    const pass = Object.fromEntries(checkTargets(latest, systems).map((c) => [c.target.slice(0, 24), c.pass]));
    expect(pass).toMatchObject({ 'chat at 1,000 msgs/s: p9': false, 'chat at 1,000 msgs/s: CP': false, 'low load, 10 msgs/s: p99': false, 'at rest, no clients: all': false });
  });

  it('fails the ramp target when neither system held a step', () => {
    const none = (system: string) => ({ ...rampResult(system, 100), steps: [], highestHeld: null });
    const ramp = checkTargets(pickLatest([none('platform'), none('peer')]), systems)[4];
    expect(ramp?.pass).toBe(false);
  });

  it('says when a ramp stopped at the load generator, not at the system', () => {
    const limited = { ...rampResult('peer', 200), generatorLimitedAt: 400 };
    const ramp = checkTargets(pickLatest([rampResult('platform', 200), limited]), systems)[4];
    expect(ramp?.measured).toBe('200 vs 200 (generator-limited at 400/s: a lower bound) msgs/s');
  });

  it('says "not measured" for what was not run', () => {
    const checks = checkTargets(pickLatest([chatResult('platform', 60)]), systems);
    expect(checks.map((c) => c.pass)).toEqual([null, true, null, null, null, null, null, null, null]);
    expect(checks.filter((c) => c.pass === null).every((c) => /not (run|checked|measured)/.test(c.measured))).toBe(true);
  });

  it('files a lowload chat run apart from the chat run', () => {
    const latest = pickLatest([chatResult('platform', 40), chatResult('platform', 3, { scenario: 'lowload' })]);
    expect(latest.chat.get('platform')?.e2eMs.p99).toBe(40);
    expect(latest.lowload.get('platform')?.e2eMs.p99).toBe(3);
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
    expect(md).toContain("| chat at 1,000 msgs/s: p99 end-to-end ≤ peer's (platform) | 40 vs 4 ms at 10 msgs/s | FAIL |");
    expect(md).toContain('| low load, 10 msgs/s: p99 end-to-end ≤ 10 ms (platform) | not run | not measured |');
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
  it('shows the low-load and at-rest sections, and generator-limited steps', () => {
    const ramp = rampResult('platform', 200);
    const [firstStep] = ramp.steps;
    if (!firstStep) throw new Error('the fixture has no step');
    ramp.steps.push({ ...firstStep, targetPerSec: 1600, held: false, verdict: 'generator-limited', reasons: ['worker 0 at 97% of a core > 90%'] });
    const md = markdownReport(
      pickLatest([chatResult('platform', 3, { scenario: 'lowload' }), chatResult('peer', 1, { scenario: 'lowload' }), idleResult('platform', cpu(4)), idleResult('peer', cpu(1)), ramp]),
      systems,
      {},
    );
    expect(md).toContain('### Low load: 10 users, 1 rooms of 10, 10 msgs/s in');
    expect(md).toContain('| end-to-end p99 (ms) | 3 | 1 | 3.00× |');
    expect(md).toContain('### At rest: no clients, 30 s');
    expect(md).toContain('| CPU all of the above | 4% | 1% | 4.00× |');
    expect(md).toContain('generator-limited: worker 0 at 97% of a core > 90%');
    expect(md).toContain('| at rest, no clients: all of platform incl. Kafka, Redis, PostgreSQL < 5% of one core | 4% (a 2%, b 2%) | PASS |');
    expect(md).not.toMatch(/NaN|undefined/);
  });

  it('says why a ramp ran no step instead of "ran out of steps"', () => {
    const ramp = { ...rampResult('platform', 100), steps: [], highestHeld: null, problems: ['join: 3 failed'] };
    expect(markdownReport(pickLatest([ramp]), ['platform'], {})).toContain('| first step that failed | no step run: join: 3 failed |');
  });
});
