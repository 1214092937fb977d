import { LatencyHistogram } from './histogram';

describe('LatencyHistogram', () => {
  it('reports percentiles in milliseconds with sub-millisecond resolution', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.recordMs(i / 10); // 0.1 .. 100 ms
    const s = h.summary();
    expect(s.count).toBe(1000);
    expect(s.min).toBeCloseTo(0.1, 2);
    expect(s.p50).toBeCloseTo(50, 0);
    expect(s.p99).toBeCloseTo(99, 0);
    expect(s.max).toBeCloseTo(100, 0);
    expect(s.mean).toBeCloseTo(50.05, 0);
  });

  it('is all zeros when empty, and adds up', () => {
    const a = new LatencyHistogram();
    expect(a.summary()).toEqual({ count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 });
    const b = new LatencyHistogram();
    a.recordMs(1);
    b.recordMs(3);
    a.add(b);
    expect(a.summary().count).toBe(2);
    expect(a.summary().max).toBeCloseTo(3, 2);
  });

  it('clamps negative and huge values instead of throwing', () => {
    const h = new LatencyHistogram();
    h.recordMs(-5);
    h.recordMs(1e12);
    expect(h.count).toBe(2);
  });
});

describe('LatencyHistogram across processes', () => {
  it('adds the bucket counts of an encoded histogram exactly', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    const together = new LatencyHistogram();
    for (let i = 1; i <= 500; i++) {
      a.recordMs(i * 0.37);
      together.recordMs(i * 0.37);
    }
    for (let i = 1; i <= 300; i++) {
      b.recordMs(i * 1.9);
      together.recordMs(i * 1.9);
    }
    const merged = new LatencyHistogram();
    merged.addEncoded(a.encode());
    merged.addEncoded(b.encode());
    // Bucket counts (so count and every percentile) are exact; the maximum comes back as its bucket's top (3 digits).
    const { max, ...rest } = merged.summary();
    const { max: trueMax, ...expected } = together.summary();
    expect(rest).toEqual(expected);
    expect(Math.abs(max - trueMax) / trueMax).toBeLessThan(1e-3);
  });
});
