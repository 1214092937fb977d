import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';

export const REDIS = Symbol('REDIS');

export interface RedisOptions {
  url: string;
  connectionName: string;
}

/**
 * Commands fail at once while disconnected (no offline queue) and after a bounded wait
 * (commandTimeout), so callers can answer UNAVAILABLE within the ack timeout. The connection
 * is not awaited: an app starts while Redis is down, reports not-ready, and ioredis keeps
 * reconnecting in the background.
 */
export function connectRedis({ url, connectionName }: RedisOptions): Redis {
  const redis = new Redis(url, {
    connectionName,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  // Errors surface through failed commands and /health/ready; without a listener ioredis logs each one.
  redis.on('error', () => undefined);
  return redis;
}

/** A ReadinessCheck by shape (HealthModule.forRoot type-checks it), so this lib needs no health lib. */
@Injectable()
export class RedisReadinessCheck {
  readonly name = 'redis';
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async check(): Promise<void> {
    await this.redis.ping();
  }
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({})
export class RedisModule {
  static forRoot(options: RedisOptions): DynamicModule {
    return {
      module: RedisModule,
      providers: [{ provide: REDIS, useFactory: () => connectRedis(options) }, RedisReadinessCheck, RedisCloser],
      exports: [REDIS, RedisReadinessCheck],
    };
  }
}
