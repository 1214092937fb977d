import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * CPU time of the processes of the system under test (and of the machine as a whole) over a
 * window, from /proc: on a shared 2-core machine, where the cycles went is half the story.
 */
export interface CpuTarget {
  name: string;
  pid: number;
  /** Include the process's descendants (PostgreSQL backends). */
  tree: boolean;
}

export interface CpuReport {
  wallSec: number;
  cores: number;
  /** Busy share of the whole machine, in percent of one core (200 = both cores of two). */
  machineBusyPercent: number;
  /** Per watched process, in percent of one core. */
  processes: Record<string, number>;
  loadgenPercent: number;
  /** machine − watched − load generator: everything else running meanwhile (other work). */
  otherPercent: number;
}

interface Snapshot {
  at: number;
  machineBusy: number;
  machineTotal: number;
  ticks: Record<string, number>;
  loadgenMicros: number;
}

const CLK_TCK = 100;

/** `name=pid` or `name=pid+` (with descendants), comma-separated. */
export function parseCpuTargets(spec: string): CpuTarget[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const [, name, pid, plus] = /^([A-Za-z0-9_.-]{1,40})=(\d+)(\+?)$/.exec(item) ?? [];
      if (name === undefined || pid === undefined) throw new Error(`--watch-cpu takes name=pid or name=pid+ items (got ${item})`);
      return { name, pid: Number(pid), tree: plus === '+' };
    });
}

/** utime + stime (clock ticks) of a /proc/<pid>/stat line, and its parent pid. */
export function parseStat(line: string): { ppid: number; ticks: number } | undefined {
  const close = line.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = line.slice(close + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  const ppid = Number(fields[1]);
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ppid) && Number.isFinite(ticks) ? { ppid, ticks } : undefined;
}

/** Busy and total ticks of the first line of /proc/stat. */
export function parseProcStat(text: string): { busy: number; total: number } {
  // user nice system idle iowait irq softirq steal (guest time is already counted in user).
  const [first = ''] = text.split('\n');
  const line = first.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = line.reduce((a, b) => a + b, 0);
  const idle = (line[3] ?? 0) + (line[4] ?? 0);
  return { busy: total - idle, total };
}

function allStats(): Map<number, { ppid: number; ticks: number }> {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parsed = parseStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (parsed) stats.set(Number(entry), parsed);
    } catch {
      // gone meanwhile
    }
  }
  return stats;
}

function ticksOf(target: CpuTarget, stats: Map<number, { ppid: number; ticks: number }>): number {
  if (!target.tree) return stats.get(target.pid)?.ticks ?? 0;
  let sum = 0;
  for (const [pid, stat] of stats) {
    for (let at: number | undefined = pid, depth = 0; at !== undefined && at > 1 && depth < 16; at = stats.get(at)?.ppid, depth++) {
      if (at === target.pid) {
        sum += stat.ticks;
        break;
      }
    }
  }
  return sum;
}

export class CpuWatch {
  constructor(
    private readonly targets: readonly CpuTarget[],
    private readonly cores: number,
    /** The load generator's worker processes: their CPU is the load generator's too. */
    private readonly loadgenPids: readonly number[] = [],
  ) {}

  snapshot(): Snapshot {
    const stats = allStats();
    const machine = parseProcStat(readFileSync('/proc/stat', 'utf8'));
    const usage = process.cpuUsage();
    return {
      at: performance.now(),
      machineBusy: machine.busy,
      machineTotal: machine.total,
      ticks: Object.fromEntries(this.targets.map((t) => [t.name, ticksOf(t, stats)])),
      loadgenMicros: usage.user + usage.system + this.loadgenPids.reduce((sum, pid) => sum + ((stats.get(pid)?.ticks ?? 0) * 1e6) / CLK_TCK, 0),
    };
  }

  report(from: Snapshot, to: Snapshot): CpuReport {
    const wallSec = Math.max(1e-3, (to.at - from.at) / 1000);
    const pct = (ticks: number) => Math.round(((ticks / CLK_TCK / wallSec) * 100) * 10) / 10;
    const processes: Record<string, number> = {};
    let watched = 0;
    for (const t of this.targets) {
      // Every snapshot has a count for every target (0 for one that is gone).
      const used = Math.max(0, (to.ticks[t.name] ?? 0) - (from.ticks[t.name] ?? 0));
      processes[t.name] = pct(used);
      watched += used;
    }
    const totalTicks = to.machineTotal - from.machineTotal;
    const machineBusyPercent = totalTicks > 0 ? Math.round(((to.machineBusy - from.machineBusy) / totalTicks) * this.cores * 1000) / 10 : 0;
    const loadgenPercent = Math.round(((to.loadgenMicros - from.loadgenMicros) / 1e6 / wallSec) * 1000) / 10;
    return {
      wallSec: Math.round(wallSec * 10) / 10,
      cores: this.cores,
      machineBusyPercent,
      processes,
      loadgenPercent,
      otherPercent: Math.round(Math.max(0, machineBusyPercent - pct(watched) - loadgenPercent) * 10) / 10,
    };
  }
}

export function formatCpu(cpu: CpuReport): string {
  const parts = Object.entries(cpu.processes).map(([name, pct]) => `${name} ${pct}%`);
  return `${parts.join(', ')}, loadgen ${cpu.loadgenPercent}%, other ${cpu.otherPercent}% (machine ${cpu.machineBusyPercent}% of ${cpu.cores * 100}%)`;
}
