import { CpuReport } from '../lib/cpu-watch';
import { ChatResult, ConnectionsResult, IdleResult, RampResult } from '../lib/result';
import { formatNumber } from './svg';

/** The latest result of each scenario for each system (label). */
export interface Latest {
  chat: Map<string, ChatResult>;
  /** chat runs filed as --scenario lowload (10 msg/s). */
  lowload: Map<string, ChatResult>;
  ramp: Map<string, RampResult>;
  connections: Map<string, ConnectionsResult>;
  idle: Map<string, IdleResult>;
}

export interface TargetCheck {
  target: string;
  measured: string;
  pass: boolean | null;
}

/** The issue's limits. */
export const LOWLOAD_P99_MS = 10;
export const IDLE_CPU_PERCENT = 5;
export const CPU_PER_DELIVERY_RATIO = 1.5;

const fmt = (v: number | undefined | null) => (v === undefined || v === null ? '–' : formatNumber(v));

export function sumCpu(c: CpuReport): number {
  return Math.round(Object.values(c.processes).reduce((x, y) => x + y, 0) * 10) / 10;
}

/** Microseconds of CPU (every watched process) per delivered message over the measured window. */
export function cpuPerDeliveryUs(r: ChatResult | undefined): number | undefined {
  if (!r?.cpu || !(r.throughput.deliveriesPerSec > 0)) return undefined;
  return Math.round(((sumCpu(r.cpu) * 1e4) / r.throughput.deliveriesPerSec) * 100) / 100;
}

function rampHeld(r: RampResult | undefined): string {
  if (!r) return '–';
  const held = r.highestHeld ? `${fmt(r.highestHeld.targetPerSec)}` : 'none';
  return r.generatorLimitedAt !== undefined ? `${held} (generator-limited at ${fmt(r.generatorLimitedAt)}/s: a lower bound)` : held;
}

function rampAgainst(latest: Latest, mine: string, other: string, label: string): TargetCheck {
  const a = latest.ramp.get(mine);
  const b = latest.ramp.get(other);
  return {
    target: label,
    measured: a && b ? `${rampHeld(a)} vs ${rampHeld(b)} msgs/s` : 'not run',
    // Holding no step is no rate at all: 0 vs 0 is a failed ramp, not a tie.
    pass: a && b ? a.highestHeld != null && a.highestHeld.targetPerSec >= (b.highestHeld?.targetPerSec ?? 0) : null,
  };
}

/**
 * The issue's targets for `mine` against `peer` (and the stretch system's ramp), each PASS/FAIL,
 * null when not measured in this result set.
 */
export function checkTargets(latest: Latest, systems: [string, string], stretch = 'centrifugo'): TargetCheck[] {
  const [mine, peer] = systems;
  const chat = latest.chat.get(mine);
  const chatPeer = latest.chat.get(peer);
  const checks: TargetCheck[] = [];
  checks.push({
    target: `chat at 1,000 msgs/s: p99 end-to-end ≤ ${peer}'s (${mine})`,
    measured: chat && chatPeer ? `${fmt(chat.e2eMs.p99)} vs ${fmt(chatPeer.e2eMs.p99)} ms at ${fmt(chat.throughput.ackedPerSec)} msgs/s` : 'not run',
    pass: chat && chatPeer ? chat.e2eMs.p99 <= chatPeer.e2eMs.p99 : null,
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
  const mineUs = cpuPerDeliveryUs(chat);
  const peerUs = cpuPerDeliveryUs(chatPeer);
  const cpuRatio = mineUs !== undefined && peerUs !== undefined && peerUs > 0 ? Math.round((mineUs / peerUs) * 100) / 100 : null;
  checks.push({
    target: `chat at 1,000 msgs/s: CPU per delivered message ≤ ${CPU_PER_DELIVERY_RATIO}× ${peer}'s`,
    measured: cpuRatio !== null ? `${fmt(mineUs)} vs ${fmt(peerUs)} µs of CPU per delivery (${cpuRatio.toFixed(2)}×)` : 'not measured',
    pass: cpuRatio === null ? null : cpuRatio <= CPU_PER_DELIVERY_RATIO,
  });
  checks.push(rampAgainst(latest, mine, peer, `ramp: highest rate held at p99 ≤ limit ≥ ${peer}'s`));
  checks.push(rampAgainst(latest, mine, stretch, `ramp (stretch): highest rate held ≥ ${stretch}'s`));
  const low = latest.lowload.get(mine);
  checks.push({
    target: `low load, 10 msgs/s: p99 end-to-end ≤ ${LOWLOAD_P99_MS} ms (${mine})`,
    measured: low ? `${fmt(low.e2eMs.p99)} ms at ${fmt(low.throughput.ackedPerSec)} msgs/s` : 'not run',
    pass: low ? low.e2eMs.p99 <= LOWLOAD_P99_MS && low.counts.lost === 0 && low.counts.failed === 0 : null,
  });
  const idle = latest.idle.get(mine)?.cpu;
  checks.push({
    target: `at rest, no clients: all of ${mine} incl. Kafka, Redis, PostgreSQL < ${IDLE_CPU_PERCENT}% of one core`,
    measured: idle ? `${fmt(sumCpu(idle))}% (${Object.entries(idle.processes).map(([n, p]) => `${n} ${p}%`).join(', ')})` : 'not run',
    pass: idle ? sumCpu(idle) < IDLE_CPU_PERCENT : null,
  });
  const connMine = latest.connections.get(mine)?.rss?.perConnectionKiB;
  const connPeer = latest.connections.get(peer)?.rss?.perConnectionKiB;
  const r = connMine !== undefined && connPeer !== undefined && connPeer !== 0 ? Math.round((connMine / connPeer) * 100) / 100 : null;
  checks.push({
    target: `connections: RSS per idle socket ≤ 1.2× ${peer}'s`,
    measured: r !== null ? `${fmt(connMine)} vs ${fmt(connPeer)} KiB (${r.toFixed(2)}×)` : 'not run',
    pass: r === null ? null : r <= 1.2,
  });
  return checks;
}
