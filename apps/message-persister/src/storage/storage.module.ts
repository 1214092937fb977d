import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { LOGGER, Logger } from '@chat/logging';
import { PERSISTER_CONFIG, PersisterConfig } from '../config/persister.config';
import { createPool, PG_POOL } from './pg-pool';
import { MessageRepository } from './message.repository';
import { PostgresReadinessCheck } from './postgres-readiness.check';
import { ReadPositionRepository } from './read-position.repository';

@Injectable()
class PoolCloser implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Runs after the consumers have stopped (they stop in beforeApplicationShutdown). */
  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

/** Global so HealthModule can resolve PostgresReadinessCheck from its own scope. */
@Global()
@Module({
  providers: [
    {
      provide: PG_POOL,
      useFactory: (config: PersisterConfig, logger: Logger) => createPool(config.DATABASE_URL, logger),
      inject: [PERSISTER_CONFIG, LOGGER],
    },
    MessageRepository,
    ReadPositionRepository,
    PostgresReadinessCheck,
    PoolCloser,
  ],
  exports: [PG_POOL, MessageRepository, ReadPositionRepository, PostgresReadinessCheck],
})
export class StorageModule {}
