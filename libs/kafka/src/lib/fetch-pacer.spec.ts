import { FetchPacer } from './fetch-pacer';

describe('FetchPacer', () => {
  let clock = 0;
  const pacer = () => new FetchPacer(100, () => clock);
  beforeEach(() => (clock = 1_000));

  it('holds a batch whose fetch came back quickly until the interval since the fetch started has passed', () => {
    const p = pacer();
    p.fetchStarted();
    clock += 3;
    expect(p.holdMs()).toBe(97);
  });

  it('holds nothing when the fetch waited for its records longer than the interval (quiet or low load)', () => {
    const p = pacer();
    p.fetchStarted();
    clock += 340;
    expect(p.holdMs()).toBe(0);
  });

  it('holds only the rest of the interval for later batches of the same fetch', () => {
    const p = pacer();
    p.fetchStarted();
    clock += 60;
    expect(p.holdMs()).toBe(40);
    clock += 40;
    expect(p.holdMs()).toBe(0);
  });

  it('holds nothing before any fetch has started', () => {
    expect(pacer().holdMs()).toBe(0);
  });

  it('stops holding as soon as its signal aborts', async () => {
    const p = new FetchPacer(60_000);
    p.fetchStarted();
    const stop = new AbortController();
    const held = p.hold(stop.signal);
    stop.abort();
    await expect(held).resolves.toBeUndefined();
  });

  it('rejects an interval that is not positive', () => {
    expect(() => new FetchPacer(0)).toThrow(/minIntervalMs must be positive/);
  });
});
