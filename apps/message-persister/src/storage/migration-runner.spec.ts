import { assertOrdered, pendingMigrations } from './migration-runner';
import { MIGRATIONS } from './migrations';

const m = (version: number) => ({ version, name: `m${version}`, sql: 'SELECT 1' });

describe('migrations', () => {
  it('ships in strictly increasing order', () => {
    expect(() => assertOrdered(MIGRATIONS)).not.toThrow();
  });

  it('rejects duplicates, reordering and invalid versions', () => {
    expect(() => assertOrdered([m(1), m(1)])).toThrow(/out of order/);
    expect(() => assertOrdered([m(2), m(1)])).toThrow(/out of order/);
    expect(() => assertOrdered([m(0)])).toThrow(/invalid version/);
  });

  it('keeps only the pending ones, in order', () => {
    expect(pendingMigrations([m(1), m(2), m(3)], new Set([1, 3])).map((x) => x.version)).toEqual([2]);
  });
});
