import type { Pool } from 'pg';
import type { Logger } from '@chat/logging';
import type { Migration } from './migrations';

/** Arbitrary but fixed: every instance must contend for the same advisory lock. */
const MIGRATION_LOCK_KEY = 7_310_001;

/** Throws unless versions strictly increase, so a bad merge cannot apply migrations out of order. */
export function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, i) => {
    if (!Number.isInteger(migration.version) || migration.version < 1) {
      throw new Error(`migration "${migration.name}" has an invalid version ${migration.version}`);
    }
    const previous = migrations[i - 1];
    if (previous !== undefined && migration.version <= previous.version) {
      throw new Error(`migration ${migration.version} ("${migration.name}") is out of order`);
    }
  });
}

export function pendingMigrations(migrations: readonly Migration[], applied: ReadonlySet<number>): Migration[] {
  return migrations.filter((migration) => !applied.has(migration.version));
}

/**
 * Applies the pending migrations, each in its own transaction. The session-level advisory lock
 * lets several instances start at once: one migrates, the others wait and then find nothing to do.
 */
export async function runMigrations(pool: Pool, migrations: readonly Migration[], logger: Logger): Promise<number[]> {
  assertOrdered(migrations);
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version    integer PRIMARY KEY,
          name       text        NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now()
        )`);
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const pending = pendingMigrations(migrations, new Set(rows.map((row) => row.version)));
      for (const migration of pending) {
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new Error(`migration ${migration.version} ("${migration.name}") failed: ${(error as Error).message}`, { cause: error });
        }
        logger.info({ version: migration.version, name: migration.name }, 'applied migration');
      }
      return pending.map((migration) => migration.version);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } catch (error) {
    // A connection that failed mid-way may still hold the lock: destroy it instead of pooling it.
    broken = true;
    throw error;
  } finally {
    client.release(broken);
  }
}

/** PostgreSQL's undefined_table: no schema_migrations yet, so nothing was ever applied. */
const UNDEFINED_TABLE = '42P01';

/** The versions not yet applied on the server, without applying anything. */
export async function pendingOnServer(pool: Pick<Pool, 'query'>, migrations: readonly Migration[]): Promise<number[]> {
  let applied: number[] = [];
  try {
    const { rows } = await pool.query<{ version: number }>('SELECT version FROM schema_migrations');
    applied = rows.map((row) => row.version);
  } catch (error) {
    if ((error as { code?: string }).code !== UNDEFINED_TABLE) throw error;
  }
  return pendingMigrations(migrations, new Set(applied)).map((migration) => migration.version);
}

/**
 * The start-up schema step: migrate (MIGRATE_ON_START) or, where a Job migrates, fail while
 * migrations are pending so the caller retries and the pod stays not ready instead of writing to
 * an old schema.
 */
export async function prepareSchema(pool: Pool, migrations: readonly Migration[], migrateOnStart: boolean, logger: Logger): Promise<number[]> {
  if (migrateOnStart) return runMigrations(pool, migrations, logger);
  assertOrdered(migrations);
  const pending = await pendingOnServer(pool, migrations);
  if (pending.length > 0) {
    throw new Error(`database schema is behind: migrations ${pending.join(', ')} pending (MIGRATE_ON_START=false: run \`node dist/main.js migrate\`, the migrate Job)`);
  }
  return [];
}
