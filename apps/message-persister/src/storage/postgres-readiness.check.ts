import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ReadinessCheck } from '@chat/health';
import { PG_POOL } from './pg-pool';

@Injectable()
export class PostgresReadinessCheck implements ReadinessCheck {
  readonly name = 'postgres';
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async check(): Promise<void> {
    await this.pool.query('SELECT 1');
  }
}
