import type { Pool } from 'pg';
import type { Logger } from '@chat/logging';
import { migrateCommand } from './migrate-command';
import { pendingOnServer, prepareSchema } from './migration-runner';

const m = (version: number) => ({ version, name: `m${version}`, sql: `CREATE TABLE t${version} ()` });
const MIGRATIONS = [m(1), m(2), m(3)];
const logger = { info: jest.fn(), error: jest.fn(), warn: jest.fn() } as unknown as Logger;

/** A PostgreSQL that has applied `applied` (undefined: no schema_migrations table), recording SQL. */
function fakePool(initiallyApplied: number[] | undefined, failOn?: string) {
  let applied = initiallyApplied;
  const statements: string[] = [];
  const query = jest.fn(async (sql: string) => {
    statements.push(sql.trim().split(/\s+/).slice(0, 3).join(' '));
    if (failOn && sql.includes(failOn)) throw new Error('boom');
    if (sql.includes('CREATE TABLE IF NOT EXISTS schema_migrations')) applied ??= [];
    if (/^SELECT version FROM schema_migrations/.test(sql.trim())) {
      if (!applied) throw Object.assign(new Error('relation "schema_migrations" does not exist'), { code: '42P01' });
      return { rows: applied.map((version) => ({ version })) };
    }
    return { rows: [] };
  });
  const client = { query, release: jest.fn() };
  const pool = { query, connect: jest.fn(async () => client), end: jest.fn(async () => undefined) };
  return { pool: pool as unknown as Pool, statements, end: pool.end };
}

describe('schema at start-up', () => {
  it('pendingOnServer: every migration when schema_migrations does not exist, else the missing ones', async () => {
    expect(await pendingOnServer(fakePool(undefined).pool, MIGRATIONS)).toEqual([1, 2, 3]);
    expect(await pendingOnServer(fakePool([1, 3]).pool, MIGRATIONS)).toEqual([2]);
  });

  it('pendingOnServer: other errors (PostgreSQL down) propagate, so start-up retries', async () => {
    await expect(pendingOnServer(fakePool([], 'schema_migrations').pool, MIGRATIONS)).rejects.toThrow('boom');
  });

  it('MIGRATE_ON_START=true applies the pending migrations', async () => {
    const { pool, statements } = fakePool([1]);
    expect(await prepareSchema(pool, MIGRATIONS, true, logger)).toEqual([2, 3]);
    expect(statements).toContain('CREATE TABLE t2');
  });

  it('MIGRATE_ON_START=false applies nothing and fails, naming the pending ones and the Job, until they are applied', async () => {
    const behind = fakePool([1]);
    await expect(prepareSchema(behind.pool, MIGRATIONS, false, logger)).rejects.toThrow(
      /migrations 2, 3 pending \(MIGRATE_ON_START=false: run `node dist\/main.js migrate`/,
    );
    expect(behind.statements.filter((s) => s.startsWith('CREATE'))).toEqual([]);
    expect(await prepareSchema(fakePool([1, 2, 3]).pool, MIGRATIONS, false, logger)).toEqual([]);
  });
});

describe('migrate command', () => {
  it('applies what is pending, exits 0 and closes the pool', async () => {
    const { pool, statements, end } = fakePool(undefined);
    expect(await migrateCommand(pool, MIGRATIONS, logger)).toBe(0);
    expect(statements.filter((s) => s.startsWith('CREATE TABLE t'))).toEqual(['CREATE TABLE t1', 'CREATE TABLE t2', 'CREATE TABLE t3']);
    expect(end).toHaveBeenCalled();
  });

  it('a failed migration exits 1 (the Job fails and retries) and still closes the pool', async () => {
    const { pool, end } = fakePool(undefined, 'CREATE TABLE t2');
    expect(await migrateCommand(pool, MIGRATIONS, logger)).toBe(1);
    expect(end).toHaveBeenCalled();
  });
});
