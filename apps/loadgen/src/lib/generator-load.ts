import { round3 } from './histogram';
import { SelfReport } from './self-probe';

/** Per-rate share one load-generator process drives comfortably (10 members: ~20,000 deliveries/s). */
export const RATE_PER_WORKER = 2000;

/**
 * --workers auto: one process up to RATE_PER_WORKER msg/s, then one more per RATE_PER_WORKER,
 * never more than the machine has cores (more would only take turns on them).
 */
export function autoWorkers(maxRatePerSec: number, cores: number): number {
  if (!(maxRatePerSec > RATE_PER_WORKER)) return 1;
  return Math.max(1, Math.min(Math.max(1, cores), Math.ceil(maxRatePerSec / RATE_PER_WORKER)));
}

export interface GeneratorLimits {
  /** A process of the load generator above this share of its one core is saturated. */
  maxCpuPercent: number;
  /** … or with its event-loop delay p99 above this. */
  maxLagP99Ms: number;
}

export const DEFAULT_GENERATOR_LIMITS: GeneratorLimits = { maxCpuPercent: 90, maxLagP99Ms: 50 };

/** One process of the load generator over a step: the coordinator, or a worker. */
export interface GeneratorProcess {
  name: string;
  cpuPercent: number;
  eventLoopDelayP99Ms: number;
}

export function generatorProcesses(coordinator: SelfReport, workers: readonly SelfReport[] = []): GeneratorProcess[] {
  const of = (name: string, r: SelfReport): GeneratorProcess => ({ name, cpuPercent: r.cpuPercent, eventLoopDelayP99Ms: r.eventLoopDelayP99Ms });
  return [of(workers.length > 0 ? 'coordinator' : 'loadgen', coordinator), ...workers.map((r, w) => of(`worker ${w}`, r))];
}

/** Why the load generator itself, not the system under test, may have set a step's figures (empty: it did not). */
export function generatorSaturation(processes: readonly GeneratorProcess[], limits: GeneratorLimits = DEFAULT_GENERATOR_LIMITS): string[] {
  const reasons: string[] = [];
  for (const p of processes) {
    if (p.cpuPercent > limits.maxCpuPercent) reasons.push(`${p.name} at ${round3(p.cpuPercent)}% of a core > ${limits.maxCpuPercent}%`);
    if (p.eventLoopDelayP99Ms > limits.maxLagP99Ms) reasons.push(`${p.name} event-loop delay p99 ${round3(p.eventLoopDelayP99Ms)} ms > ${limits.maxLagP99Ms} ms`);
  }
  return reasons;
}

export type StepVerdict = 'held' | 'failed' | 'generator-limited';

/**
 * A step that met every limit held, even on a busy generator (it can only have made the figures
 * worse); one that missed a limit while the generator was saturated, or because it could not
 * offer the rate, measured the generator: neither held nor failed.
 */
export function stepVerdict(failures: readonly string[], saturation: readonly string[], underOffered: boolean): StepVerdict {
  if (failures.length === 0 && !underOffered) return 'held';
  return saturation.length > 0 || underOffered ? 'generator-limited' : 'failed';
}
