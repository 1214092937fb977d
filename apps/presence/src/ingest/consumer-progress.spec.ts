import { ConsumerProgress } from './consumer-progress';

describe('ConsumerProgress', () => {
  let now: number;
  let progress: ConsumerProgress;
  beforeEach(() => {
    now = 1000;
    progress = new ConsumerProgress(() => now);
  });

  it('knows nothing before it owns partitions and has completed a fetch round', () => {
    expect(progress.caughtUp()).toBeNull();
    progress.onGroupJoin([2, 0]);
    expect(progress.caughtUp()).toBeNull();
    progress.onFetchStart(1);
    expect(progress.caughtUp()).toBeNull();
    now = 1100;
    progress.onFetchStart(1);
    expect(progress.caughtUp()).toEqual({ partitions: [0, 2], at: 1000 });
  });

  it('does not advance past a round with a batch that stopped short or failed', () => {
    progress.onGroupJoin([0]);
    progress.onFetchStart(1);
    now = 1100;
    progress.onFetchStart(1);
    progress.onBatch(false);
    now = 1200;
    progress.onFetchStart(1);
    expect(progress.caughtUp()?.at).toBe(1000);
    progress.onBatch(true);
    now = 1300;
    progress.onFetchStart(1);
    expect(progress.caughtUp()?.at).toBe(1200);
    progress.onBatchFailed();
    now = 1400;
    progress.onFetchStart(1);
    expect(progress.caughtUp()?.at).toBe(1200);
  });

  it('is as far as its slowest broker node', () => {
    progress.onGroupJoin([0, 1]);
    progress.onFetchStart(1);
    progress.onFetchStart(2);
    now = 1100;
    progress.onFetchStart(1);
    expect(progress.caughtUp()).toBeNull();
    now = 1500;
    progress.onFetchStart(1);
    progress.onFetchStart(2);
    expect(progress.caughtUp()?.at).toBe(1000);
  });

  it('forgets a node that stopped fetching (no longer leads our partitions)', () => {
    progress.onGroupJoin([0]);
    progress.onFetchStart(1);
    progress.onFetchStart(2);
    now = 1100;
    progress.onFetchStart(1);
    now = 7000;
    progress.onFetchStart(1);
    expect(progress.caughtUp()?.at).toBe(1100);
  });

  it('claims nothing from a rebalance until the next join completes a round', () => {
    progress.onGroupJoin([0]);
    progress.onFetchStart(1);
    now = 1100;
    progress.onFetchStart(1);
    progress.onRebalancing();
    expect(progress.caughtUp()).toBeNull();
    progress.onGroupJoin([0, 3]);
    now = 1200;
    progress.onFetchStart(1);
    expect(progress.caughtUp()).toBeNull();
  });
});
