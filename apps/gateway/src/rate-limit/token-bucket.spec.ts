import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the set rate', () => {
    let now = 0;
    const bucket = new TokenBucket(20, 40, () => now);
    let taken = 0;
    while (bucket.tryTake()) taken++;
    expect(taken).toBe(40);

    now += 500; // half a second at 20/s refills 10 tokens
    taken = 0;
    while (bucket.tryTake()) taken++;
    expect(taken).toBe(10);
  });

  it('never saves more than the burst', () => {
    let now = 0;
    const bucket = new TokenBucket(20, 5, () => now);
    now += 60_000;
    let taken = 0;
    while (bucket.tryTake()) taken++;
    expect(taken).toBe(5);
  });
});
