import type { Pool } from 'pg';
import type { Logger } from '@chat/logging';
import type { Migration } from './migrations';
import { runMigrations } from './migration-runner';

/**
 * `node dist/main.js migrate`: apply the pending migrations and end, for a Kubernetes Job that
 * runs once per release (the Deployment then starts with MIGRATE_ON_START=false). Returns the
 * process exit code: 0 when the schema is current, 1 when a migration failed.
 */
export async function migrateCommand(pool: Pool, migrations: readonly Migration[], logger: Logger): Promise<number> {
  try {
    const applied = await runMigrations(pool, migrations, logger);
    logger.info({ applied }, 'database schema is up to date');
    return 0;
  } catch (error) {
    logger.error({ err: error }, 'migrations failed');
    return 1;
  } finally {
    await pool.end().catch(() => undefined);
  }
}
