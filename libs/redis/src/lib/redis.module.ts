import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import type { ReadinessCheck } from '@chat/health';

export const REDIS = Symbol('REDIS');

export interface RedisOptions {
  url: string;
  connectionName: string;
}

/**
 * Commands fail at once while disconnected (no offline queue), so callers can answer
 * UNAVAILABLE within the ack timeout; ioredis keeps reconnecting in the background.
 */
export async function connectRedis({ url, connectionName }: RedisOptions): Promise<Redis> {
  const redis = new Redis(url, {
    connectionName,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  // Errors are reported through failed commands and readiness; without a listener ioredis logs noise.
  redis.on('error', () => undefined);
  await redis.connect();
  return redis;
}

@Injectable()
export class RedisReadinessCheck implements ReadinessCheck {
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
