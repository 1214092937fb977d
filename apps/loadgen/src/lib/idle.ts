import { Log, sleep } from './chat-engine';
import { CpuWatch, formatCpu } from './cpu-watch';
import { IdleOptions } from './options';
import { IdleResult } from './result';
import { currentLoadAvg, machineInfo, SelfProbe } from './self-probe';

/** `idle`: no clients; the CPU of every watched process over --duration s, what the system costs at rest. */
export async function runIdle(options: IdleOptions, log: Log): Promise<IdleResult> {
  const machine = machineInfo();
  const probe = new SelfProbe();
  const startedAt = new Date().toISOString();
  const loadAvgStart = currentLoadAvg();
  const problems: string[] = [];
  if (options.watchCpu.length === 0) problems.push('nothing to watch: give --watch-cpu');
  const watch = new CpuWatch(options.watchCpu, machine.nproc);
  const durationSec = Math.min(options.durationSec, options.timeoutSec);
  log(`watching ${options.watchCpu.map((t) => t.name).join(', ') || 'nothing'} for ${durationSec} s with no clients`);
  const from = watch.snapshot();
  await sleep(durationSec * 1000);
  const cpu = watch.report(from, watch.snapshot());
  log(formatCpu(cpu));
  return {
    schema: 'loadgen-result/1',
    kind: 'idle',
    scenario: 'idle',
    label: options.label,
    runId: options.runId,
    startedAt,
    finishedAt: new Date().toISOString(),
    targets: [],
    machine,
    loadAvgStart,
    loadAvgEnd: currentLoadAvg(),
    loadgen: probe.stop(),
    problems,
    config: { durationSec },
    cpu,
  };
}
