import { allDone, InFlightBatcher, InFlightBatcherOptions, Outcome } from './in-flight-batcher';

/** A send that records each batch and finishes only when the test says so. */
function gatedSend() {
  const batches: number[][] = [];
  const gates: Array<() => void> = [];
  const send = (batch: readonly number[]): Promise<Outcome<number>[]> => {
    batches.push([...batch]);
    return new Promise((resolve) => gates.push(() => resolve(batch.map((n) => ({ ok: true, value: n * 10 })))));
  };
  /** Lets the oldest unfinished send finish, then lets the batcher take its next batch. */
  const finishOne = async () => {
    gates.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { send, batches, finishOne };
}

function batcher(send: InFlightBatcherOptions<number, number>['send'], options: Partial<InFlightBatcherOptions<number, number>> = {}) {
  return new InFlightBatcher<number, number>({ send, maxBatch: 100, ...options });
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('InFlightBatcher', () => {
  it('sends what is added meanwhile in the next batch, in order, one send at a time', async () => {
    const { send, batches, finishOne } = gatedSend();
    const b = batcher(send);
    const first = b.add(1);
    await tick();
    const later = [b.add(2), b.add(3), b.add(4)];
    await tick();
    expect(batches).toEqual([[1]]);
    await finishOne();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    await finishOne();
    await expect(Promise.all([first, ...later])).resolves.toEqual([10, 20, 30, 40]);
  });

  it('puts everything added in one synchronous run into the first batch', async () => {
    const { send, batches, finishOne } = gatedSend();
    const b = batcher(send);
    const all = Promise.all([b.add(1), b.add(2)]);
    await tick();
    await finishOne();
    await all;
    expect(batches).toEqual([[1, 2]]);
  });

  it('takes at most maxBatch items per send', async () => {
    const { send, batches, finishOne } = gatedSend();
    const b = batcher(send, { maxBatch: 2 });
    const all = Promise.all([1, 2, 3, 4, 5].map((n) => b.add(n)));
    await tick();
    for (let i = 0; i < 3; i++) await finishOne();
    await all;
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('settles each item with its own outcome', async () => {
    const b = batcher(async (batch) => batch.map((n) => (n % 2 === 0 ? { ok: true, value: n } : { ok: false, error: new Error(`odd ${n}`) })));
    const results = await Promise.allSettled([1, 2, 3].map((n) => b.add(n)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['odd 1', 2, 'odd 3']);
  });

  it('fails every item of a batch whose send throws, and sends the next batch as usual', async () => {
    let calls = 0;
    const b = batcher(async (batch) => {
      if (calls++ === 0) throw new Error('broker down');
      return batch.map((n) => ({ ok: true, value: n }));
    });
    const failed = [b.add(1), b.add(2)];
    await expect(failed[0]).rejects.toThrow('broker down');
    await expect(failed[1]).rejects.toThrow('broker down');
    await expect(b.add(3)).resolves.toBe(3);
  });

  it('rejects an item the send gave no outcome for', async () => {
    const b = batcher(async () => []);
    await expect(b.add(1)).rejects.toThrow('send answered 0 of 1 items');
  });

  it('refuses new items past the queue limit; items in flight do not count', async () => {
    const { send, batches, finishOne } = gatedSend();
    const b = batcher(send, { queueLimit: 2, fullError: () => new Error('not keeping up') });
    const inFlight = b.add(1);
    await tick();
    const queued = [b.add(2), b.add(3)];
    await expect(b.add(4)).rejects.toThrow('not keeping up');
    expect(b.size).toBe(2);
    await finishOne();
    await finishOne();
    await expect(Promise.all([inFlight, ...queued])).resolves.toEqual([10, 20, 30]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('with drop-oldest, makes room by dropping the oldest waiting item', async () => {
    const { send, batches, finishOne } = gatedSend();
    const b = batcher(send, { queueLimit: 2, whenFull: 'drop-oldest', fullError: () => new Error('dropped') });
    const inFlight = b.add(1);
    await tick();
    const oldest = b.add(2);
    const kept = [b.add(3), b.add(4)];
    await expect(oldest).rejects.toThrow('dropped');
    expect(b.dropped).toBe(1);
    await finishOne();
    await finishOne();
    await expect(Promise.all([inFlight, ...kept])).resolves.toEqual([10, 30, 40]);
    expect(batches).toEqual([[1], [3, 4]]);
  });

  it('does not send an item that expired while it waited', async () => {
    const { send, batches, finishOne } = gatedSend();
    const b = batcher(send, { expired: (n) => (n < 0 ? new Error('too late') : undefined) });
    const live = b.add(1);
    const late = b.add(-1);
    await expect(late).rejects.toThrow('too late');
    await finishOne();
    await expect(live).resolves.toBe(10);
    expect(batches).toEqual([[1]]);
  });

  it('with a linger, items added within it share the first batch', async () => {
    const { send, batches, finishOne } = gatedSend();
    const b = batcher(send, { lingerMs: 30 });
    const first = b.add(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = b.add(2);
    await new Promise((resolve) => setTimeout(resolve, 40));
    await finishOne();
    await Promise.all([first, second]);
    expect(batches).toEqual([[1, 2]]);
  });

  it('with a linger of 0, waits to the end of the event-loop turn', async () => {
    const { send, batches, finishOne } = gatedSend();
    const b = batcher(send, { lingerMs: 0 });
    const first = b.add(1);
    await Promise.resolve();
    const second = b.add(2);
    await tick();
    await finishOne();
    await Promise.all([first, second]);
    expect(batches).toEqual([[1, 2]]);
  });

  it('is idle once nothing waits or is in flight, and starts again on the next item', async () => {
    const { send, batches, finishOne } = gatedSend();
    const b = batcher(send);
    void b.add(1);
    void b.add(2);
    let idle = false;
    const becameIdle = b.idle().then(() => (idle = true));
    await tick();
    expect(idle).toBe(false);
    await finishOne();
    await becameIdle;
    const third = b.add(3);
    await tick();
    await finishOne();
    await expect(third).resolves.toBe(30);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('allDone reports success for every item', () => {
    expect(allDone(['a', 'b'])).toEqual([
      { ok: true, value: undefined },
      { ok: true, value: undefined },
    ]);
  });
});
