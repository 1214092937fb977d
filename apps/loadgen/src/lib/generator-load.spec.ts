import { autoWorkers, generatorProcesses, generatorSaturation, stepVerdict } from './generator-load';

const self = (cpuPercent: number, eventLoopDelayP99Ms: number) => ({ cpuPercent, eventLoopDelayP99Ms, eventLoopDelayMaxMs: eventLoopDelayP99Ms, rssMiB: 100 });

describe('the load generator’s own limits', () => {
  it('uses one process for low rates and one per 2,000 msg/s above, at most one per core', () => {
    expect(autoWorkers(10, 2)).toBe(1);
    expect(autoWorkers(2000, 8)).toBe(1);
    expect(autoWorkers(4000, 8)).toBe(2);
    expect(autoWorkers(8000, 2)).toBe(2);
    expect(autoWorkers(8000, 8)).toBe(4);
    expect(autoWorkers(8000, 1)).toBe(1);
  });

  it('names every process over its core or over the event-loop limit', () => {
    const processes = generatorProcesses(self(20, 2), [self(95, 3), self(40, 80)]);
    expect(processes.map((p) => p.name)).toEqual(['coordinator', 'worker 0', 'worker 1']);
    const reasons = generatorSaturation(processes, { maxCpuPercent: 90, maxLagP99Ms: 50 });
    expect(reasons).toEqual(['worker 0 at 95% of a core > 90%', 'worker 1 event-loop delay p99 80 ms > 50 ms']);
    expect(generatorSaturation(generatorProcesses(self(60, 12)))).toEqual([]);
  });

  it('never fails a step the generator could not drive, and keeps a step that held', () => {
    expect(stepVerdict([], [], false)).toBe('held');
    expect(stepVerdict([], ['worker 0 at 95%'], false)).toBe('held');
    expect(stepVerdict(['p99 150 ms > 100 ms'], [], false)).toBe('failed');
    expect(stepVerdict(['p99 150 ms > 100 ms'], ['worker 0 at 95%'], false)).toBe('generator-limited');
    expect(stepVerdict([], [], true)).toBe('generator-limited');
  });
});
