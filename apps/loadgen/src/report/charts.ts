import { ChatResult, ConnectionsResult, LoadResult, RampResult } from '../lib/result';
import type { Latest } from './compare';
import { at } from '../lib/checked';
import { barChart, lineChart, PALETTE } from './svg';

/** One colour per system, in the order the report lists them (the platform first). */
const COLORS = [PALETTE.platform, PALETTE.peer, PALETTE.other, PALETTE.fourth];
const colorOf = (label: string, systems: readonly string[]) => at(COLORS, Math.max(0, systems.indexOf(label)) % COLORS.length, 'colour');

/** SVG charts, by file stem: every system of `systems` that has a result, side by side. */
export function charts(latest: Latest, systems: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const loadNote = (rs: (LoadResult | undefined)[]) =>
    'load avg ' + rs.filter((r): r is LoadResult => !!r).map((r) => `${r.label} ${r.loadAvgStart[0]}→${r.loadAvgEnd[0]}`).join(', ');

  const chats = systems.map((s) => latest.chat.get(s)).filter((r): r is ChatResult => !!r);
  const [firstChat] = chats;
  if (firstChat) {
    const groups = ['ack p50', 'ack p99', 'e2e p50', 'e2e p90', 'e2e p99', 'e2e p99.9'];
    const c = firstChat.config;
    out['chat-latency'] = barChart({
      title: `Chat: latency at ${c.users * c.ratePerUser} msgs/s in (${c.rooms} rooms of ${c.members})`,
      subtitle: `lower is better · ${loadNote(chats)}`,
      groups,
      unit: 'milliseconds',
      series: chats.map((r) => ({
        name: r.label,
        color: colorOf(r.label, systems),
        values: [r.ackMs.p50, r.ackMs.p99, r.e2eMs.p50, r.e2eMs.p90, r.e2eMs.p99, r.e2eMs.p999],
      })),
    });
    out['chat-timeline'] = lineChart({
      title: 'Chat: end-to-end p99 per second of the run',
      subtitle: `the first ${c.warmupSec} s are warm-up · ${loadNote(chats)}`,
      xLabel: 'seconds since the first send',
      yLabel: 'end-to-end p99 (ms)',
      series: chats.map((r) => {
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
  const [firstRamp] = ramps;
  if (firstRamp) {
    const limit = firstRamp.config.p99LimitMs;
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
  const [firstConns] = conns;
  if (firstConns) {
    out['connections'] = barChart({
      title: `Idle connections: ${firstConns.config.connections} sockets on one instance`,
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
