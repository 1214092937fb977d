import { CpuReport } from '../lib/cpu-watch';
import { LatencySummary } from '../lib/histogram';
import { ChatResult, ConnectionsResult, LoadResult, RampResult } from '../lib/result';
import { barChart, formatNumber, lineChart, PALETTE } from './svg';

/** The latest result of each kind for each system (label). */
export interface Latest {
  chat: Map<string, ChatResult>;
  ramp: Map<string, RampResult>;
  connections: Map<string, ConnectionsResult>;
}

export function pickLatest(results: readonly LoadResult[]): Latest {
  const latest: Latest = { chat: new Map(), ramp: new Map(), connections: new Map() };
  const sorted = [...results].sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
  for (const r of sorted) (latest[r.kind] as Map<string, LoadResult>).set(r.label, r);
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

export interface TargetCheck {
  target: string;
  measured: string;
  pass: boolean | null;
}

/** The targets, each PASS/FAIL (null: not measured in this result set). */
export function checkTargets(latest: Latest, systems: [string, string]): TargetCheck[] {
  const [mine, peer] = systems;
  const chat = latest.chat.get(mine);
  const checks: TargetCheck[] = [];
  const rate = chat ? chat.throughput.ackedPerSec : undefined;
  checks.push({
    target: `chat: p99 end-to-end ≤ 50 ms (${mine})`,
    measured: chat ? `${chat.e2eMs.p99} ms at ${fmt(rate)} msgs/s` : 'not run',
    pass: chat ? chat.e2eMs.p99 <= 50 : null,
  });
  checks.push({
    target: `chat: zero loss, duplicates, order violations (${mine})`,
    measured: chat ? `lost ${chat.counts.lost}, duplicates ${chat.counts.duplicates}, order ${chat.counts.orderViolations}, failed sends ${chat.counts.failed}` : 'not run',
    pass: chat ? chat.counts.lost === 0 && chat.counts.duplicates === 0 && chat.counts.orderViolations === 0 && chat.counts.failed === 0 : null,
  });
  checks.push({
    target: `chat: every acked message persisted (${mine})`,
    measured: chat?.persistence ? `${chat.persistence.persisted}/${chat.persistence.acked}, offset mismatches ${chat.persistence.offsetMismatches}` : 'not checked',
    pass: chat?.persistence ? chat.persistence.missing === 0 && chat.persistence.offsetMismatches === 0 && !chat.persistence.error : null,
  });
  const rampMine = latest.ramp.get(mine)?.highestHeld;
  const rampPeer = latest.ramp.get(peer)?.highestHeld;
  const rampRun = latest.ramp.has(mine) && latest.ramp.has(peer);
  checks.push({
    target: `ramp: highest rate held at p99 ≤ limit ≥ ${peer}'s`,
    measured: rampRun ? `${fmt(rampMine?.targetPerSec ?? 0)} vs ${fmt(rampPeer?.targetPerSec ?? 0)} msgs/s` : 'not run',
    pass: rampRun ? (rampMine?.targetPerSec ?? 0) >= (rampPeer?.targetPerSec ?? 0) : null,
  });
  const connMine = latest.connections.get(mine)?.rss?.perConnectionKiB;
  const connPeer = latest.connections.get(peer)?.rss?.perConnectionKiB;
  const r = ratio(connMine, connPeer);
  checks.push({
    target: `connections: RSS per idle socket ≤ 1.2× ${peer}'s`,
    measured: connMine !== undefined && connPeer !== undefined ? `${fmt(connMine)} vs ${fmt(connPeer)} KiB (${fmtRatio(r)})` : 'not run',
    pass: r === null ? null : r <= 1.2,
  });
  return checks;
}

const loadOf = (r?: LoadResult) => (r ? `${r.loadAvgStart[0]} → ${r.loadAvgEnd[0]}` : '–');

function latencyRows(name: string, a?: LatencySummary, b?: LatencySummary): string[][] {
  const keys: [keyof LatencySummary, string][] = [
    ['p50', 'p50'],
    ['p90', 'p90'],
    ['p99', 'p99'],
    ['p999', 'p99.9'],
    ['max', 'max'],
  ];
  return keys.map(([k, label]) => [`${name} ${label} (ms)`, fmt(a?.[k]), fmt(b?.[k]), fmtRatio(ratio(a?.[k], b?.[k]))]);
}

/** Markdown: the comparison tables and the target checks. */
export function markdownReport(latest: Latest, systems: [string, string], chartLinks: Record<string, string>): string {
  const [mine, peer] = systems;
  const header = ['', mine, peer, `${mine}/${peer}`];
  const parts: string[] = [];
  const any = [...latest.chat.values(), ...latest.ramp.values(), ...latest.connections.values()][0];
  if (any) {
    const m = any.machine;
    parts.push(`Machine: ${m.cpuModel}, ${m.nproc} CPUs, ${formatNumber(m.memTotalMiB / 1024)} GiB RAM, Node ${m.node}, Linux ${m.kernel}. ` + `Results taken ${any.finishedAt.slice(0, 16).replace('T', ' ')} UTC.`);
  }

  const chatA = latest.chat.get(mine);
  const chatB = latest.chat.get(peer);
  if (chatA || chatB) {
    const c = chatA?.config ?? chatB?.config;
    parts.push(
      `### Chat: ${c?.users} users, ${c?.rooms} rooms of ${c?.members}, ${c?.ratePerUser} msg/s each, ${c?.durationSec} s (first ${c?.warmupSec} s unmeasured)`,
    );
    parts.push(
      table(header, [
        ['messages in (acked/s)', fmt(chatA?.throughput.ackedPerSec), fmt(chatB?.throughput.ackedPerSec), fmtRatio(ratio(chatA?.throughput.ackedPerSec, chatB?.throughput.ackedPerSec))],
        ['deliveries out (/s)', fmt(chatA?.throughput.deliveriesPerSec), fmt(chatB?.throughput.deliveriesPerSec), fmtRatio(ratio(chatA?.throughput.deliveriesPerSec, chatB?.throughput.deliveriesPerSec))],
        ...latencyRows('end-to-end', chatA?.e2eMs, chatB?.e2eMs),
        ...latencyRows('ack', chatA?.ackMs, chatB?.ackMs).filter((r) => !r[0].includes('p90') && !r[0].includes('max')),
        ['delivered / expected', chatA ? `${chatA.counts.delivered}/${chatA.counts.expected}` : '–', chatB ? `${chatB.counts.delivered}/${chatB.counts.expected}` : '–', ''],
        ['lost · duplicates · order violations', chatA ? `${chatA.counts.lost} · ${chatA.counts.duplicates} · ${chatA.counts.orderViolations}` : '–', chatB ? `${chatB.counts.lost} · ${chatB.counts.duplicates} · ${chatB.counts.orderViolations}` : '–', ''],
        ['failed sends', chatA ? String(chatA.counts.failed) : '–', chatB ? String(chatB.counts.failed) : '–', ''],
        ['acked messages in PostgreSQL', chatA?.persistence ? `${chatA.persistence.persisted}/${chatA.persistence.acked}` : '–', 'n/a (no storage)', ''],
        ['connect p99 (ms)', fmt(chatA?.connect.latencyMs.p99), fmt(chatB?.connect.latencyMs.p99), fmtRatio(ratio(chatA?.connect.latencyMs.p99, chatB?.connect.latencyMs.p99))],
        ['load average (1 min) start → end', loadOf(chatA), loadOf(chatB), ''],
        ...cpuRows(chatA?.cpu, chatB?.cpu),
      ]),
    );
    for (const key of ['chat-latency', 'chat-timeline']) if (chartLinks[key]) parts.push(`![${key}](${chartLinks[key]})`);
  }

  const rampA = latest.ramp.get(mine);
  const rampB = latest.ramp.get(peer);
  if (rampA || rampB) {
    const c = rampA?.config ?? rampB?.config;
    parts.push(
      `### Ramp: ${c?.users} users, ${c?.rooms} rooms of ${c?.members}, ${c?.stepSec} s per step, until p99 end-to-end > ${c?.p99LimitMs} ms, a loss or a failed send` +
        ` (a failed step is tried ${c?.retries ?? 0} more time${c?.retries === 1 ? '' : 's'})`,
    );
    const hA = rampA?.highestHeld;
    const hB = rampB?.highestHeld;
    parts.push(
      table(header, [
        ['highest rate held (msgs/s offered)', fmt(hA?.targetPerSec), fmt(hB?.targetPerSec), fmtRatio(ratio(hA?.targetPerSec, hB?.targetPerSec))],
        ['… messages in (acked/s)', fmt(hA?.ackedPerSec), fmt(hB?.ackedPerSec), fmtRatio(ratio(hA?.ackedPerSec, hB?.ackedPerSec))],
        ['… deliveries out (/s)', fmt(hA?.deliveriesPerSec), fmt(hB?.deliveriesPerSec), fmtRatio(ratio(hA?.deliveriesPerSec, hB?.deliveriesPerSec))],
        ['… end-to-end p99 (ms)', fmt(hA?.e2eP99Ms), fmt(hB?.e2eP99Ms), fmtRatio(ratio(hA?.e2eP99Ms, hB?.e2eP99Ms))],
        ['first step that failed', firstFailure(rampA), firstFailure(rampB), ''],
        ['load average (1 min) start → end', loadOf(rampA), loadOf(rampB), ''],
      ]),
    );
    for (const r of [rampA, rampB]) {
      if (!r) continue;
      parts.push(`Steps, ${r.label}:`);
      parts.push(
        table(
          ['offered/s', 'try', 'in/s', 'out/s', 'e2e p50', 'e2e p99', 'ack p99', 'lost', 'order', 'CPU system · loadgen · other', 'held'],
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
            s.held ? 'yes' : `no: ${s.reasons.join('; ')}`,
          ]),
        ),
      );
    }
    for (const key of ['ramp-latency', 'ramp-throughput']) if (chartLinks[key]) parts.push(`![${key}](${chartLinks[key]})`);
  }

  const connA = latest.connections.get(mine);
  const connB = latest.connections.get(peer);
  if (connA || connB) {
    parts.push(`### Idle connections: ${connA?.config.connections ?? connB?.config.connections} sockets on one instance`);
    parts.push(
      table(header, [
        ['connected', connA ? `${connA.connect.connected}/${connA.connect.attempted}` : '–', connB ? `${connB.connect.connected}/${connB.connect.attempted}` : '–', ''],
        ['connect rate (/s)', fmt(connA?.connect.perSec), fmt(connB?.connect.perSec), fmtRatio(ratio(connA?.connect.perSec, connB?.connect.perSec))],
        ['connect p99 (ms)', fmt(connA?.connect.latencyMs.p99), fmt(connB?.connect.latencyMs.p99), fmtRatio(ratio(connA?.connect.latencyMs.p99, connB?.connect.latencyMs.p99))],
        ['RSS before (MiB)', fmt(mib(connA?.rss?.beforeKiB)), fmt(mib(connB?.rss?.beforeKiB)), fmtRatio(ratio(connA?.rss?.beforeKiB, connB?.rss?.beforeKiB))],
        ['RSS with the sockets (MiB)', fmt(mib(connA?.rss?.afterHoldKiB)), fmt(mib(connB?.rss?.afterHoldKiB)), fmtRatio(ratio(connA?.rss?.afterHoldKiB, connB?.rss?.afterHoldKiB))],
        ['RSS per idle socket (KiB)', fmt(connA?.rss?.perConnectionKiB), fmt(connB?.rss?.perConnectionKiB), fmtRatio(ratio(connA?.rss?.perConnectionKiB, connB?.rss?.perConnectionKiB))],
        ...(connA?.afterGc || connB?.afterGc
          ? [
              ['live heap + external per socket after a GC (KiB)', fmt(connA?.afterGc?.livePerConnectionKiB), fmt(connB?.afterGc?.livePerConnectionKiB), fmtRatio(ratio(connA?.afterGc?.livePerConnectionKiB, connB?.afterGc?.livePerConnectionKiB))],
              ['RSS per socket after a GC (KiB)', fmt(connA?.afterGc?.rssPerConnectionKiB), fmt(connB?.afterGc?.rssPerConnectionKiB), fmtRatio(ratio(connA?.afterGc?.rssPerConnectionKiB, connB?.afterGc?.rssPerConnectionKiB))],
            ]
          : []),
        ['load average (1 min) start → end', loadOf(connA), loadOf(connB), ''],
        ...cpuRows(connA?.cpu, connB?.cpu).filter((r) => !r[0].startsWith('CPU machine')),
      ]),
    );
    for (const key of ['connections']) if (chartLinks[key]) parts.push(`![${key}](${chartLinks[key]})`);
  }

  parts.push('### Targets');
  parts.push(
    table(
      ['target', 'measured', 'result'],
      checkTargets(latest, systems).map((c) => [c.target, c.measured, c.pass === null ? 'not measured' : c.pass ? 'PASS' : 'FAIL']),
      ['---', '---', '---'],
    ),
  );
  return parts.join('\n\n') + '\n';
}

/** Percent of one core per watched process, then the totals: what each system cost. */
function cpuRows(a?: CpuReport, b?: CpuReport): string[][] {
  if (!a && !b) return [];
  const names = [...new Set([...Object.keys(a?.processes ?? {}), ...Object.keys(b?.processes ?? {})])];
  const pct = (c: CpuReport | undefined, name: string) => (c && name in c.processes ? `${c.processes[name]}%` : '–');
  return [
    ...names.map((name) => [`CPU ${name} (% of a core)`, pct(a, name), pct(b, name), '']),
    ['CPU all of the above', a ? `${sumCpu(a)}%` : '–', b ? `${sumCpu(b)}%` : '–', fmtRatio(ratio(a && sumCpu(a), b && sumCpu(b)))],
    ['CPU load generator', a ? `${a.loadgenPercent}%` : '–', b ? `${b.loadgenPercent}%` : '–', ''],
    ['CPU other work on the machine', a ? `${a.otherPercent}%` : '–', b ? `${b.otherPercent}%` : '–', ''],
    ['CPU machine busy (of 100% × cores)', a ? `${a.machineBusyPercent}% of ${a.cores * 100}%` : '–', b ? `${b.machineBusyPercent}% of ${b.cores * 100}%` : '–', ''],
  ];
}

export function sumCpu(c: CpuReport): number {
  return Math.round(Object.values(c.processes).reduce((x, y) => x + y, 0) * 10) / 10;
}

function mib(kib?: number): number | undefined {
  return kib === undefined ? undefined : Math.round((kib / 1024) * 10) / 10;
}

function firstFailure(r?: RampResult): string {
  if (!r) return '–';
  const failed = [...r.steps].reverse().find((s) => !s.held);
  return failed ? `${formatNumber(failed.targetPerSec)}/s: ${failed.reasons.join('; ')}` : 'none (ran out of steps)';
}

const colorOf = (label: string, systems: [string, string]) => (label === systems[0] ? PALETTE.platform : label === systems[1] ? PALETTE.peer : PALETTE.other);

/** SVG charts, by file stem. */
export function charts(latest: Latest, systems: [string, string]): Record<string, string> {
  const out: Record<string, string> = {};
  const loadNote = (rs: (LoadResult | undefined)[]) =>
    'load avg ' + rs.filter((r): r is LoadResult => !!r).map((r) => `${r.label} ${r.loadAvgStart[0]}→${r.loadAvgEnd[0]}`).join(', ');

  const chats = systems.map((s) => latest.chat.get(s));
  if (chats.some(Boolean)) {
    const groups = ['ack p50', 'ack p99', 'e2e p50', 'e2e p90', 'e2e p99', 'e2e p99.9'];
    const c = chats.find(Boolean)?.config;
    out['chat-latency'] = barChart({
      title: `Chat: latency at ${c ? c.users * c.ratePerUser : '?'} msgs/s in (${c?.rooms} rooms of ${c?.members})`,
      subtitle: `lower is better · ${loadNote(chats)}`,
      groups,
      unit: 'milliseconds',
      series: chats
        .filter((r): r is ChatResult => !!r)
        .map((r) => ({
          name: r.label,
          color: colorOf(r.label, systems),
          values: [r.ackMs.p50, r.ackMs.p99, r.e2eMs.p50, r.e2eMs.p90, r.e2eMs.p99, r.e2eMs.p999],
        })),
    });
    out['chat-timeline'] = lineChart({
      title: 'Chat: end-to-end p99 per second of the run',
      subtitle: `the first ${c?.warmupSec ?? 0} s are warm-up · ${loadNote(chats)}`,
      xLabel: 'seconds since the first send',
      yLabel: 'end-to-end p99 (ms)',
      series: chats
        .filter((r): r is ChatResult => !!r)
        .map((r) => {
          const first = r.timeline.findIndex((p) => p.sent > 0);
          return {
            name: r.label,
            color: colorOf(r.label, systems),
            points: r.timeline.slice(Math.max(0, first)).filter((p) => p.delivered > 0 && p.e2eP99Ms > 0).map((p) => [p.t - first, p.e2eP99Ms] as [number, number]),
          };
        }),
    });
  }

  const ramps = systems.map((s) => latest.ramp.get(s)).filter((r): r is RampResult => !!r);
  // One point per rate: the last attempt of a step that was tried again.
  const finalSteps = (r: RampResult) => r.steps.filter((s, i) => r.steps[i + 1]?.targetPerSec !== s.targetPerSec);
  if (ramps.length > 0) {
    const limit = ramps[0].config.p99LimitMs;
    out['ramp-latency'] = lineChart({
      title: 'Ramp: end-to-end p99 as the offered rate rises',
      subtitle: `hollow point: the step did not hold (p99 over the limit, loss or failed sends) · ${loadNote(ramps)}`,
      xLabel: 'offered messages per second (in)',
      yLabel: 'end-to-end p99 (ms)',
      yLog: true,
      hLines: [{ y: limit, label: `limit ${limit} ms` }],
      series: ramps.map((r) => ({
        name: r.label,
        color: colorOf(r.label, systems),
        points: finalSteps(r).map((s) => [s.targetPerSec, Math.max(s.e2eMs.p99, 0.1)] as [number, number]),
        hollow: finalSteps(r).flatMap((s, i) => (s.held ? [] : [i])),
      })),
    });
    out['ramp-throughput'] = lineChart({
      title: 'Ramp: deliveries out per second as the offered rate rises',
      subtitle: `hollow point: the step did not hold · ${loadNote(ramps)}`,
      xLabel: 'offered messages per second (in)',
      yLabel: 'deliveries per second (out)',
      series: ramps.map((r) => ({
        name: r.label,
        color: colorOf(r.label, systems),
        points: finalSteps(r).map((s) => [s.targetPerSec, s.throughput.deliveriesPerSec] as [number, number]),
        hollow: finalSteps(r).flatMap((s, i) => (s.held ? [] : [i])),
      })),
    });
  }

  const conns = systems.map((s) => latest.connections.get(s)).filter((r): r is ConnectionsResult => !!r);
  if (conns.length > 0) {
    out['connections'] = barChart({
      title: `Idle connections: ${conns[0].config.connections} sockets on one instance`,
      subtitle: `RSS growth per socket (KiB) and connect rate (hundreds per second) · ${loadNote(conns)}`,
      groups: ['RSS per idle socket (KiB)', 'connect rate (100/s)'],
      unit: 'KiB · hundreds/s',
      series: conns.map((r) => ({
        name: r.label,
        color: colorOf(r.label, systems),
        values: [r.rss?.perConnectionKiB ?? null, Math.round(r.connect.perSec) / 100],
      })),
    });
  }
  return out;
}
