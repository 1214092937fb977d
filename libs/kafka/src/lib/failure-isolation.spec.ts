import { allAnswer, BatchRetryLater, classifyCommonError, FailureKind, IsolationHooks, RecordFailure, runWithIsolation } from './failure-isolation';

const OPTIONS = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 150 };

/** A fake store: records listed in `poison` always fail; `down` makes every call fail like an outage. */
function fakeHooks(poison: number[], setup: { down?: boolean; healthy?: boolean[]; failBatchTimes?: number } = {}) {
  const processed: number[] = [];
  const calls: number[][] = [];
  const pauses: number[] = [];
  const dead: RecordFailure<number>[] = [];
  let batchFailuresLeft = setup.failBatchTimes ?? 0;
  const health = [...(setup.healthy ?? [])];
  const hooks: IsolationHooks<number> = {
    run: async (records) => {
      calls.push([...records]);
      if (setup.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      if (records.length > 1 && batchFailuresLeft-- > 0) throw new Error('transient');
      const bad = records.find((r) => poison.includes(r));
      if (bad !== undefined) throw Object.assign(new Error(`bad row ${bad}`), { kind: 'unknown' });
      processed.push(...records);
    },
    classify: (error) => ((error as { code?: string }).code === 'ECONNREFUSED' ? 'outage' : ((error as { kind?: FailureKind }).kind ?? 'unknown')),
    healthy: async () => health.shift() ?? true,
    deadLetter: async (failures) => void dead.push(...failures),
    pause: async (ms) => void pauses.push(ms),
  };
  return { hooks, processed, calls, pauses, dead };
}

describe('runWithIsolation', () => {
  it('runs a good batch once, in one call', async () => {
    const { hooks, calls, dead } = fakeHooks([]);
    await expect(runWithIsolation([1, 2, 3], hooks, OPTIONS)).resolves.toEqual([]);
    expect(calls).toEqual([[1, 2, 3]]);
    expect(dead).toEqual([]);
  });

  it('retries a failing batch with backoff, and is done when a retry succeeds', async () => {
    const { hooks, calls, pauses, dead } = fakeHooks([], { failBatchTimes: 2 });
    const tries: number[] = [];
    hooks.onAttemptFailed = (_error, attempt) => void tries.push(attempt);
    await runWithIsolation([1, 2], hooks, OPTIONS);
    expect(tries).toEqual([1, 2]);
    expect(calls).toEqual([[1, 2], [1, 2], [1, 2]]);
    expect(pauses).toEqual([100, 150]);
    expect(dead).toEqual([]);
  });

  it('after the bounded retries, processes record by record and dead-letters only the one that fails alone', async () => {
    const { hooks, processed, calls, dead } = fakeHooks([2]);
    const failures = await runWithIsolation([1, 2, 3], hooks, OPTIONS);
    expect(calls).toEqual([[1, 2, 3], [1, 2, 3], [1, 2, 3], [1], [2], [3]]);
    expect(processed).toEqual([1, 3]);
    expect(dead).toEqual([{ record: 2, error: expect.objectContaining({ message: 'bad row 2' }), attempts: 4 }]);
    expect(failures).toEqual(dead);
  });

  it('isolates at once when the error blames the data', async () => {
    const { hooks, calls } = fakeHooks([]);
    const run = hooks.run;
    hooks.run = async (records) => {
      if (records.includes(5)) throw Object.assign(new Error('22021 invalid byte'), { kind: 'poison' });
      return run(records);
    };
    await runWithIsolation([4, 5], hooks, OPTIONS);
    expect(calls).toEqual([[4]]);
  });

  it('never dead-letters during an outage: it throws for redelivery after the first try', async () => {
    const { hooks, calls, dead } = fakeHooks([], { down: true });
    await expect(runWithIsolation([1, 2], hooks, OPTIONS)).rejects.toBeInstanceOf(BatchRetryLater);
    expect(calls).toHaveLength(1);
    expect(dead).toEqual([]);
  });

  it('does not isolate while the dependency is unhealthy', async () => {
    const { hooks, calls, dead } = fakeHooks([2], { healthy: [false] });
    await expect(runWithIsolation([1, 2, 3], hooks, OPTIONS)).rejects.toMatchObject({ reason: 'dependency-unhealthy' });
    expect(calls).toHaveLength(3);
    expect(dead).toEqual([]);
  });

  it('does not dead-letter a record whose failure came with the dependency going down', async () => {
    const { hooks, processed, dead } = fakeHooks([2], { healthy: [true, false] });
    await expect(runWithIsolation([1, 2, 3], hooks, OPTIONS)).rejects.toMatchObject({ reason: 'dependency-unhealthy' });
    expect(processed).toEqual([1]);
    expect(dead).toEqual([]);
  });

  it('fails the whole batch when dead-lettering fails, so it is redelivered rather than lost', async () => {
    const { hooks } = fakeHooks([1]);
    hooks.deadLetter = () => Promise.reject(new Error('DLQ unavailable'));
    await expect(runWithIsolation([1], hooks, OPTIONS)).rejects.toThrow(/DLQ unavailable/);
  });
});

describe('classifyCommonError', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a reset socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a retriable kafkajs error', Object.assign(new Error('leader not available'), { name: 'KafkaJSProtocolError', retriable: true })],
    ['a closed ioredis connection', new Error('Connection is closed.')],
    ['node-pg losing its connection', new Error('Connection terminated unexpectedly')],
    ['a batch left for redelivery', new BatchRetryLater('outage', new Error('x'))],
  ])('takes %s for an outage', (_label, error) => {
    expect(classifyCommonError(error)).toBe('outage');
  });

  it.each([
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a Redis WRONGTYPE reply', Object.assign(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'), { name: 'ReplyError' })],
    ['a thrown string', 'boom'],
    ['a non-retriable kafkajs error', Object.assign(new Error('message too large'), { name: 'KafkaJSProtocolError', retriable: false })],
  ])('leaves %s unknown', (_label, error) => {
    expect(classifyCommonError(error)).toBe('unknown');
  });
});

describe('allAnswer', () => {
  it('is healthy only when every check answers in time', async () => {
    const ok = { check: async () => undefined };
    const down = { check: () => Promise.reject(new Error('down')) };
    const hung = { check: () => new Promise<void>(() => undefined) };
    expect(await allAnswer([ok, ok])()).toBe(true);
    expect(await allAnswer([ok, down])()).toBe(false);
    expect(await allAnswer([ok, hung], 20)()).toBe(false);
  });
});
