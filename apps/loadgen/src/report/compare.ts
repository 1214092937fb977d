import { CpuReport } from '../lib/cpu-watch';
import { LatencySummary } from '../lib/histogram';
import { LoadResult, RampResult } from '../lib/result';
import { formatNumber } from './svg';
import { checkTargets, Latest, sumCpu } from './targets';

export { charts } from './charts';
export { checkTargets, sumCpu } from './targets';
export type { Latest, TargetCheck } from './targets';

/** The latest result of each scenario for each system; a chat run filed as lowload is the lowload one. */
export function pickLatest(results: readonly LoadResult[]): Latest {
  const latest: Latest = { chat: new Map(), lowload: new Map(), ramp: new Map(), connections: new Map(), idle: new Map() };
  const sorted = [...results].sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
  for (const r of sorted) {
    if (r.kind === 'chat') (r.scenario === 'lowload' ? latest.lowload : latest.chat).set(r.label, r);
    else if (r.kind === 'ramp') latest.ramp.set(r.label, r);
    else if (r.kind === 'connections') latest.connections.set(r.label, r);
    else latest.idle.set(r.label, r);
  }
  return latest;
}

/** platform / peer, rounded; null when either side is missing or the peer is 0. */
export function ratio(a: number | undefined | null, b: number | undefined | null): number | null {
  if (a === undefined || a === null || b === undefined || b === null || b === 0) return null;
  return Math.round((a / b) * 100) / 100;
}

const fmtRatio = (r: number | null) => (r === null ? '–' : `${r.toFixed(2)}×`);
const fmt = (v: number | undefined | null, unit = '') => (v === undefined || v === null ? '–' : `${formatNumber(v)}${unit}`);

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: string[], rows: string[][], align?: string[]): string {
  return [row(header), row(align ?? header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(row)].join('\n');
}

const loadOf = (r?: LoadResult) => (r ? `${r.loadAvgStart[0]} → ${r.loadAvgEnd[0]}` : '–');
const workersOf = (r?: LoadResult) => (r && (r.kind === 'chat' || r.kind === 'ramp') && (r.workers ?? 1) > 1 ? ` (coordinator; ${r.workers} workers)` : '');
const loadgenOf = (r?: LoadResult) =>
  r ? `${r.loadgen.cpuPercent}% · ${r.loadgen.eventLoopDelayP99Ms} / ${r.loadgen.eventLoopDelayMaxMs} ms${workersOf(r)}` : '–';

type Num = number | undefined | null;

/**
 * Rows of a table over N systems: one column per system, then the first system's ratio to each
 * of the others (platform/peer, platform/centrifugo, ...).
 */
class Columns {
  constructor(readonly systems: readonly string[]) {}

  get header(): string[] {
    const [mine, ...others] = this.systems;
    return ['', ...this.systems, ...others.map((o) => `${mine}/${o}`)];
  }

  num(label: string, values: Num[]): string[] {
    return [label, ...values.map((v) => fmt(v)), ...values.slice(1).map((v) => fmtRatio(ratio(values[0], v)))];
  }

  text(label: string, cells: string[]): string[] {
    return [label, ...cells, ...cells.slice(1).map(() => '')];
  }
}

function latencyRows(cols: Columns, name: string, summaries: (LatencySummary | undefined)[]): string[][] {
  const keys: [keyof LatencySummary, string][] = [
    ['p50', 'p50'],
    ['p90', 'p90'],
    ['p99', 'p99'],
    ['p999', 'p99.9'],
    ['max', 'max'],
  ];
  return keys.map(([k, label]) => cols.num(`${name} ${label} (ms)`, summaries.map((s) => s?.[k])));
}

/** Markdown: the comparison tables (the first system against each other) and the target checks of the first two. */
export function markdownReport(latest: Latest, systems: readonly string[], chartLinks: Record<string, string>): string {
  const cols = new Columns(systems);
  const parts: string[] = [];
  const any = [...latest.chat.values(), ...latest.ramp.values(), ...latest.connections.values()][0];
  if (any) {
    const m = any.machine;
    parts.push(`Machine: ${m.cpuModel}, ${m.nproc} CPUs, ${formatNumber(m.memTotalMiB / 1024)} GiB RAM, Node ${m.node}, Linux ${m.kernel}. ` + `Results taken ${any.finishedAt.slice(0, 16).replace('T', ' ')} UTC.`);
  }

  const chats = systems.map((s) => latest.chat.get(s));
  const chat0 = chats.find(Boolean);
  if (chat0) {
    const c = chat0.config;
    parts.push(`### Chat: ${c.users} users, ${c.rooms} rooms of ${c.members}, ${c.ratePerUser} msg/s each, ${c.durationSec} s (first ${c.warmupSec} s unmeasured)`);
    parts.push(
      table(cols.header, [
        cols.num('messages in (acked/s)', chats.map((r) => r?.throughput.ackedPerSec)),
        cols.num('deliveries out (/s)', chats.map((r) => r?.throughput.deliveriesPerSec)),
        ...latencyRows(cols, 'end-to-end', chats.map((r) => r?.e2eMs)),
        ...latencyRows(cols, 'ack', chats.map((r) => r?.ackMs)).filter((r) => !r[0]?.includes('p90') && !r[0]?.includes('max')),
        cols.text('delivered / expected', chats.map((r) => (r ? `${r.counts.delivered}/${r.counts.expected}` : '–'))),
        cols.text('lost · duplicates · order violations', chats.map((r) => (r ? `${r.counts.lost} · ${r.counts.duplicates} · ${r.counts.orderViolations}` : '–'))),
        cols.text('failed sends', chats.map((r) => (r ? String(r.counts.failed) : '–'))),
        cols.text('acked messages in PostgreSQL', chats.map((r) => (r?.persistence ? `${r.persistence.persisted}/${r.persistence.acked}` : r ? 'n/a (no storage)' : '–'))),
        cols.num('connect p99 (ms)', chats.map((r) => r?.connect.latencyMs.p99)),
        cols.text('load average (1 min) start → end', chats.map(loadOf)),
        ...cpuRows(cols, chats.map((r) => r?.cpu)),
        cols.text('load generator CPU · event-loop delay p99 / max (whole run)', chats.map(loadgenOf)),
      ]),
    );
    for (const key of ['chat-latency', 'chat-timeline']) if (chartLinks[key]) parts.push(`![${key}](${chartLinks[key]})`);
  }

  const ramps = systems.map((s) => latest.ramp.get(s));
  const ramp0 = ramps.find(Boolean);
  if (ramp0) {
    const c = ramp0.config;
    parts.push(
      `### Ramp: ${c.users} users, ${c.rooms} rooms of ${c.members}, ${c.stepSec} s per step, until p99 end-to-end > ${c.p99LimitMs} ms, a loss or a failed send` +
        ` (a failed step is tried ${c.retries ?? 0} more time${c.retries === 1 ? '' : 's'})`,
    );
    const held = ramps.map((r) => r?.highestHeld);
    parts.push(
      table(cols.header, [
        cols.num('highest rate held (msgs/s offered)', held.map((h) => h?.targetPerSec)),
        cols.num('… messages in (acked/s)', held.map((h) => h?.ackedPerSec)),
        cols.num('… deliveries out (/s)', held.map((h) => h?.deliveriesPerSec)),
        cols.num('… end-to-end p99 (ms)', held.map((h) => h?.e2eP99Ms)),
        cols.text('first step that failed', ramps.map(firstFailure)),
        cols.text('load average (1 min) start → end', ramps.map(loadOf)),
        cols.text('load generator CPU · event-loop delay p99 / max (whole run)', ramps.map(loadgenOf)),
      ]),
    );
    for (const r of ramps) if (r) parts.push(`Steps, ${r.label}:`, stepsTable(r));
    for (const key of ['ramp-latency', 'ramp-throughput']) if (chartLinks[key]) parts.push(`![${key}](${chartLinks[key]})`);
  }

  const conns = systems.map((s) => latest.connections.get(s));
  const conn0 = conns.find(Boolean);
  if (conn0) {
    parts.push(`### Idle connections: ${conn0.config.connections} sockets on one instance`);
    const gc = conns.some((r) => r?.afterGc);
    parts.push(
      table(cols.header, [
        cols.text('connected', conns.map((r) => (r ? `${r.connect.connected}/${r.connect.attempted}` : '–'))),
        cols.num('connect rate (/s)', conns.map((r) => r?.connect.perSec)),
        cols.num('connect p99 (ms)', conns.map((r) => r?.connect.latencyMs.p99)),
        cols.num('RSS before (MiB)', conns.map((r) => mib(r?.rss?.beforeKiB))),
        cols.num('RSS with the sockets (MiB)', conns.map((r) => mib(r?.rss?.afterHoldKiB))),
        cols.num('RSS per idle socket (KiB)', conns.map((r) => r?.rss?.perConnectionKiB)),
        ...(gc
          ? [
              cols.num('live heap + external per socket after a GC (KiB)', conns.map((r) => r?.afterGc?.livePerConnectionKiB)),
              cols.num('RSS per socket after a GC (KiB)', conns.map((r) => r?.afterGc?.rssPerConnectionKiB)),
            ]
          : []),
        cols.text('load average (1 min) start → end', conns.map(loadOf)),
        ...cpuRows(cols, conns.map((r) => r?.cpu)).filter((r) => !r[0]?.startsWith('CPU machine')),
        cols.text('load generator CPU · event-loop delay p99 / max (whole run)', conns.map(loadgenOf)),
      ]),
    );
    for (const key of ['connections']) if (chartLinks[key]) parts.push(`![${key}](${chartLinks[key]})`);
  }

  parts.push(...restSections(latest, cols, systems));

  const [platform, peer] = systems;
  if (platform !== undefined && peer !== undefined) {
    parts.push('### Targets');
    parts.push(
      table(
        ['target', 'measured', 'result'],
        checkTargets(latest, [platform, peer]).map((c) => [c.target, c.measured, c.pass === null ? 'not measured' : c.pass ? 'PASS' : 'FAIL']),
        ['---', '---', '---'],
      ),
    );
  }
  return parts.join('\n\n') + '\n';
}

function stepsTable(r: RampResult): string {
  return table(
    ['offered/s', 'try', 'in/s', 'out/s', 'e2e p50', 'e2e p99', 'ack p99', 'lost', 'order', 'CPU system · loadgen · other', 'loadgen lag p99', 'held'],
    r.steps.map((s) => [
      fmt(s.targetPerSec),
      String(s.attempt ?? 1),
      fmt(s.throughput.ackedPerSec),
      fmt(s.throughput.deliveriesPerSec),
      fmt(s.e2eMs.p50),
      fmt(s.e2eMs.p99),
      fmt(s.ackMs.p99),
      String(s.counts.lost),
      String(s.counts.orderViolations),
      s.cpu ? `${Math.round(sumCpu(s.cpu))}% · ${Math.round(s.cpu.loadgenPercent)}% · ${Math.round(s.cpu.otherPercent)}%` : `– · ${Math.round(s.loadgenCpuPercent)}% · –`,
      s.loadgenEventLoopP99Ms === undefined ? '–' : `${fmt(s.loadgenEventLoopP99Ms)} ms`,
      s.held ? 'yes' : s.verdict === 'generator-limited' ? `generator-limited: ${s.reasons.join('; ')}` : `no: ${s.reasons.join('; ')}`,
    ]),
  );
}

/** Percent of one core per watched process, then the totals: what each system cost. */
function cpuRows(cols: Columns, reports: (CpuReport | undefined)[]): string[][] {
  if (!reports.some(Boolean)) return [];
  const names = [...new Set(reports.flatMap((c) => Object.keys(c?.processes ?? {})))];
  const pct = (c: CpuReport | undefined, name: string) => (c && name in c.processes ? `${c.processes[name]}%` : '–');
  return [
    ...names.map((name) => cols.text(`CPU ${name} (% of a core)`, reports.map((c) => pct(c, name)))),
    ['CPU all of the above', ...reports.map((c) => (c ? `${sumCpu(c)}%` : '–')), ...reports.slice(1).map((c) => fmtRatio(ratio(reports[0] && sumCpu(reports[0]), c && sumCpu(c))))],
    cols.text('CPU load generator', reports.map((c) => (c ? `${c.loadgenPercent}%` : '–'))),
    cols.text('CPU other work on the machine', reports.map((c) => (c ? `${c.otherPercent}%` : '–'))),
    cols.text('CPU machine busy (of 100% × cores)', reports.map((c) => (c ? `${c.machineBusyPercent}% of ${c.cores * 100}%` : '–'))),
  ];
}

/** Low load (a chat run at 10 msgs/s) and at rest (no clients). */
function restSections(latest: Latest, cols: Columns, systems: readonly string[]): string[] {
  const parts: string[] = [];
  const lows = systems.map((s) => latest.lowload.get(s));
  const low0 = lows.find(Boolean);
  if (low0) {
    const c = low0.config;
    parts.push(`### Low load: ${c.users} users, ${c.rooms} rooms of ${c.members}, ${formatNumber(c.users * c.ratePerUser)} msgs/s in, ${c.durationSec} s (first ${c.warmupSec} s unmeasured)`);
    parts.push(
      table(cols.header, [
        cols.num('messages in (acked/s)', lows.map((r) => r?.throughput.ackedPerSec)),
        ...latencyRows(cols, 'end-to-end', lows.map((r) => r?.e2eMs)),
        cols.num('ack p99 (ms)', lows.map((r) => r?.ackMs.p99)),
        cols.text('lost · duplicates · order violations', lows.map((r) => (r ? `${r.counts.lost} · ${r.counts.duplicates} · ${r.counts.orderViolations}` : '–'))),
        cols.text('load average (1 min) start → end', lows.map(loadOf)),
        ...cpuRows(cols, lows.map((r) => r?.cpu)),
      ]),
    );
  }
  const idles = systems.map((s) => latest.idle.get(s));
  const idle0 = idles.find(Boolean);
  if (idle0) {
    parts.push(`### At rest: no clients, ${idle0.config.durationSec} s`);
    parts.push(table(cols.header, [cols.text('load average (1 min) start → end', idles.map(loadOf)), ...cpuRows(cols, idles.map((r) => r?.cpu)).filter((r) => !r[0]?.startsWith('CPU load generator'))]));
  }
  return parts;
}

function mib(kib?: number): number | undefined {
  return kib === undefined ? undefined : Math.round((kib / 1024) * 10) / 10;
}

function firstFailure(r?: RampResult): string {
  if (!r) return '–';
  if (r.steps.length === 0) return `no step run${r.problems.length > 0 ? `: ${r.problems[0]}` : ''}`;
  const failed = [...r.steps].reverse().find((s) => !s.held);
  return failed ? `${formatNumber(failed.targetPerSec)}/s: ${failed.reasons.join('; ')}` : 'none (ran out of steps)';
}
