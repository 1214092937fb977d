import { performance } from 'node:perf_hooks';

/**
 * Epoch milliseconds with sub-millisecond resolution, the same in every process of the machine
 * (each process's timeOrigin is read from the one system clock): a send timed in one worker and
 * its delivery timed in another give a true latency.
 */
export function sharedNow(): number {
  return performance.timeOrigin + performance.now();
}
