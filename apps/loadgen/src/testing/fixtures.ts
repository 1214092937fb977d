import { emptyCounts } from '../lib/accounting';
import { LatencySummary } from '../lib/histogram';
import { CpuReport } from '../lib/cpu-watch';
import { ChatResult, ConnectionsResult, IdleResult, RampResult, RampStep } from '../lib/result';

/** Result files for the report's tests. */
const lat = (p50: number, p99: number): LatencySummary => ({ count: 100, min: p50 / 2, mean: p50, p50, p90: (p50 + p99) / 2, p99, p999: p99 * 1.5, max: p99 * 2 });

const head = (label: string, finishedAt = '2026-01-01T00:01:00.000Z') => ({
  schema: 'loadgen-result/1' as const,
  label,
  runId: `run-${label}`,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt,
  targets: ['http://127.0.0.1:3000'],
  machine: { cpuModel: 'Test CPU', nproc: 2, memTotalMiB: 4096, memFreeMiB: 2048, loadAvg: [0.5, 0.5, 0.5] as [number, number, number], node: 'v20', platform: 'linux-x64', kernel: '6.1', takenAt: '' },
  loadAvgStart: [0.5, 0.4, 0.3] as [number, number, number],
  loadAvgEnd: [1.5, 0.6, 0.4] as [number, number, number],
  loadgen: { cpuPercent: 20, eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 2, rssMiB: 100 },
  problems: [],
});

const connect = { attempted: 10, connected: 10, failed: 0, errors: {}, wallMs: 100, perSec: 100, latencyMs: lat(5, 9) };

export function chatResult(label: string, e2eP99: number, extra: Partial<ChatResult> = {}): ChatResult {
  return {
    ...head(label),
    kind: 'chat',
    config: { users: 10, rooms: 1, members: 10, bodyBytes: 64, ratePerUser: 1, durationSec: 10, warmupSec: 1, maxMessages: 1000 },
    connect,
    joinMs: lat(1, 2),
    counts: { ...emptyCounts(), sent: 100, acked: 100, expected: 1000, delivered: 1000 },
    ackMs: lat(1, e2eP99 / 2),
    e2eMs: lat(2, e2eP99),
    throughput: { sentPerSec: 10, ackedPerSec: 10, deliveriesPerSec: 100, windowMs: 9000 },
    timeline: [
      { t: 0, sent: 10, acked: 10, delivered: 100, e2eP50Ms: 2, e2eP99Ms: e2eP99 },
      { t: 1, sent: 10, acked: 10, delivered: 100, e2eP50Ms: 2, e2eP99Ms: e2eP99 },
    ],
    maxPacerLagMs: 0,
    disconnects: 0,
    ...extra,
  };
}

const step = (targetPerSec: number, p99: number, held: boolean): RampStep => ({
  targetPerSec,
  attempt: 1,
  held,
  reasons: held ? [] : [`p99 end-to-end ${p99} ms > 100 ms`],
  counts: { ...emptyCounts(), sent: targetPerSec, acked: targetPerSec },
  ackMs: lat(1, p99 / 2),
  e2eMs: lat(2, p99),
  throughput: { sentPerSec: targetPerSec, ackedPerSec: targetPerSec, deliveriesPerSec: targetPerSec * 10, windowMs: 1000 },
  maxPacerLagMs: 0,
  loadgenCpuPercent: 30,
  loadAvg: [1, 1, 1],
});

export function rampResult(label: string, heldUpTo: number): RampResult {
  const steps = [100, 200, 400, 800].filter((r) => r <= heldUpTo * 2).map((r) => step(r, r <= heldUpTo ? 10 : 150, r <= heldUpTo));
  const held = [...steps].reverse().find((s) => s.held);
  return {
    ...head(label),
    kind: 'ramp',
    config: { users: 10, rooms: 1, members: 10, bodyBytes: 64, rates: [100, 200, 400, 800], stepSec: 1, p99LimitMs: 100, retries: 0 },
    connect,
    steps,
    highestHeld: held ? { targetPerSec: held.targetPerSec, ackedPerSec: held.throughput.ackedPerSec, deliveriesPerSec: held.throughput.deliveriesPerSec, e2eP99Ms: held.e2eMs.p99 } : null,
    disconnects: 0,
  };
}

export function connectionsResult(label: string, perConnectionKiB: number): ConnectionsResult {
  return {
    ...head(label),
    kind: 'connections',
    config: { connections: 1000, holdSec: 1, concurrency: 100 },
    connect: { ...connect, attempted: 1000, connected: 1000 },
    rss: { pid: 1, beforeKiB: 50_000, connectedKiB: 50_000 + perConnectionKiB * 1000, afterHoldKiB: 50_000 + perConnectionKiB * 1000, perConnectionKiB, samplesKiB: [] },
    disconnectsDuringHold: 0,
  };
}

export function idleResult(label: string, cpu: CpuReport): IdleResult {
  return { ...head(label), kind: 'idle', scenario: 'idle', targets: [], config: { durationSec: 30 }, cpu };
}
