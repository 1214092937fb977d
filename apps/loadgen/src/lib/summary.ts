import { DeliveryCounts } from './accounting';
import { LatencySummary } from './histogram';
import { ChatResult, ConnectionsResult, LoadResult, RampResult } from './result';
import { formatCpu } from './cpu-watch';

const lat = (name: string, s: LatencySummary) =>
  `  ${name.padEnd(14)} n=${s.count}  p50 ${s.p50}  p90 ${s.p90}  p99 ${s.p99}  p99.9 ${s.p999}  max ${s.max} ms`;

const counts = (c: DeliveryCounts) => [
  `  sends          ${c.sent} sent, ${c.acked} acked, ${c.failed} failed${c.failed ? ' ' + JSON.stringify(c.failures) : ''}`,
  `  deliveries     ${c.delivered}/${c.expected} (lost ${c.lost}, duplicates ${c.duplicates}, order violations ${c.orderViolations}, ` +
    `mismatches ${c.mismatches}, unexpected ${c.unexpected}, of failed sends ${c.deliveredUnacked})`,
];

/** The human-readable summary printed at the end of a run. */
export function formatSummary(result: LoadResult): string {
  const lines = [`${result.kind} · ${result.label} · ${result.targets.join(' ')} · run ${result.runId}`];
  lines.push(
    `  load average   ${result.loadAvgStart.join(' ')} → ${result.loadAvgEnd.join(' ')} (${result.machine.nproc} CPUs)` +
      `; loadgen cpu ${result.loadgen.cpuPercent}% loop p99 ${result.loadgen.eventLoopDelayP99Ms} ms`,
  );
  if (result.kind === 'idle') {
    if (result.cpu) lines.push(`  cpu at rest    ${formatCpu(result.cpu)}`);
    for (const problem of result.problems) lines.push(`  PROBLEM        ${problem}`);
    return lines.join('\n');
  }
  const c = result.connect;
  lines.push(`  connect        ${c.connected}/${c.attempted} in ${c.wallMs} ms (${c.perSec}/s), p50 ${c.latencyMs.p50} p99 ${c.latencyMs.p99} ms`);
  if (result.kind === 'chat') lines.push(...chat(result));
  if (result.kind === 'ramp') lines.push(...ramp(result));
  if (result.kind === 'connections') lines.push(...connections(result));
  if ((result.kind === 'chat' || result.kind === 'connections') && result.cpu) lines.push(`  cpu            ${formatCpu(result.cpu)}`);
  for (const problem of result.problems) lines.push(`  PROBLEM        ${problem}`);
  return lines.join('\n');
}

function chat(r: ChatResult): string[] {
  const t = r.throughput;
  const lines = [
    ...counts(r.counts),
    `  throughput     ${t.ackedPerSec} msgs in/s, ${t.deliveriesPerSec} deliveries out/s (offered ${t.sentPerSec}/s, pacer lag max ${r.maxPacerLagMs} ms)`,
    lat('ack', r.ackMs),
    lat('end-to-end', r.e2eMs),
  ];
  if (r.disconnects) lines.push(`  disconnects    ${r.disconnects}`);
  if (r.persistence) {
    const p = r.persistence;
    lines.push(
      `  persisted      ${p.persisted}/${p.acked} acked messages in PostgreSQL (missing ${p.missing}, offset mismatches ${p.offsetMismatches}, waited ${p.waitedMs} ms)` +
        (p.error ? ` ERROR ${p.error}` : ''),
    );
  }
  return lines;
}

function ramp(r: RampResult): string[] {
  const lines = r.steps.map(
    (s) =>
      `  ${String(s.targetPerSec).padStart(6)}/s${s.attempt > 1 ? ` (try ${s.attempt})` : ''}  ${s.held ? 'held' : 'FAIL'}  in ${s.throughput.ackedPerSec}/s out ${s.throughput.deliveriesPerSec}/s  ` +
      `e2e p50 ${s.e2eMs.p50} p99 ${s.e2eMs.p99} ms  ack p99 ${s.ackMs.p99} ms  lost ${s.counts.lost}  order ${s.counts.orderViolations}  ` +
      `loadgen ${s.loadgenCpuPercent}%${s.verdict === 'generator-limited' ? '  GENERATOR-LIMITED' : ''}${s.reasons.length ? '  ← ' + s.reasons.join('; ') : ''}`,
  );
  const h = r.highestHeld;
  lines.push(h ? `  highest held   ${h.targetPerSec}/s: ${h.ackedPerSec} msgs in/s, ${h.deliveriesPerSec} deliveries/s, e2e p99 ${h.e2eP99Ms} ms` : '  highest held   none');
  return lines;
}

function connections(r: ConnectionsResult): string[] {
  if (!r.rss) return [];
  const m = r.rss;
  return [
    `  gateway rss    pid ${m.pid}: ${m.beforeKiB} KiB → ${m.connectedKiB} KiB connected → ${m.afterHoldKiB} KiB after hold; ${m.perConnectionKiB} KiB per connection`,
    ...(r.afterGc
      ? [
          `  after a GC     live heap+external ${r.afterGc.livePerConnectionKiB} KiB, RSS ${r.afterGc.rssPerConnectionKiB} KiB per connection ` +
            `(heapUsed ${mb(r.afterGc.before.heapUsed)} → ${mb(r.afterGc.after.heapUsed)} MiB, rss ${mb(r.afterGc.before.rss)} → ${mb(r.afterGc.after.rss)} MiB)`,
        ]
      : []),
  ];
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
