import { readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { round3 } from './histogram';

/** How busy the load generator itself was: if it saturates, the figures describe it, not the target. */
export interface SelfReport {
  /** CPU time of this process over wall time, in percent of one core. */
  cpuPercent: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  rssMiB: number;
}

export class SelfProbe {
  private readonly cpuStart = process.cpuUsage();
  private readonly wallStart = performance.now();
  private readonly delay = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.delay.enable();
  }

  stop(): SelfReport {
    this.delay.disable();
    const cpu = process.cpuUsage(this.cpuStart);
    const wallMs = performance.now() - this.wallStart;
    return {
      cpuPercent: wallMs > 0 ? round3(((cpu.user + cpu.system) / 1000 / wallMs) * 100) : 0,
      eventLoopDelayP99Ms: round3(this.delay.percentile(99) / 1e6),
      eventLoopDelayMaxMs: round3(this.delay.max / 1e6),
      rssMiB: round3(process.memoryUsage.rss() / 1024 / 1024),
    };
  }
}

export interface MachineInfo {
  cpuModel: string;
  nproc: number;
  memTotalMiB: number;
  memFreeMiB: number;
  loadAvg: [number, number, number];
  node: string;
  platform: string;
  kernel: string;
  takenAt: string;
}

export function machineInfo(): MachineInfo {
  return {
    cpuModel: cpuModelFromProc() ?? cpus()[0]?.model ?? 'unknown',
    nproc: cpus().length,
    memTotalMiB: Math.round(totalmem() / 1024 / 1024),
    memFreeMiB: Math.round(freemem() / 1024 / 1024),
    loadAvg: loadavg().map((l) => Math.round(l * 100) / 100) as [number, number, number],
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    kernel: readOr('/proc/sys/kernel/osrelease', '').trim(),
    takenAt: new Date().toISOString(),
  };
}

function cpuModelFromProc(): string | undefined {
  const match = /^model name\s*:\s*(.+)$/m.exec(readOr('/proc/cpuinfo', ''));
  return match?.[1]?.trim();
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/** VmRSS of /proc/<pid>/status, in KiB; undefined when the line is absent. */
export function parseVmRssKiB(status: string): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) : undefined;
}

export function readRssKiB(pid: number): number {
  const rss = parseVmRssKiB(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (rss === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return rss;
}

export function currentLoadAvg(): [number, number, number] {
  return loadavg().map((l) => Math.round(l * 100) / 100) as [number, number, number];
}
