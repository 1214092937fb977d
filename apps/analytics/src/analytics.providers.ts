import { Provider } from '@nestjs/common';
import { analyticsKeys, AnalyticsKeyBuilder } from '@chat/contracts';
import { REDIS, Redis } from '@chat/redis';
import { RedisAggregateStore } from './aggregate/aggregate-store';
import { BatchAggregator } from './aggregate/batch-aggregator';
import { ANALYTICS_CONFIG, AnalyticsConfig } from './config/analytics.config';
import { AnalyticsMetrics } from './health/analytics-metrics';
import { AnalyticsConsumers } from './ingest/analytics.consumers';
import { ErrorsService } from './query/errors.service';
import { RoomService } from './query/room.service';
import { SummaryService } from './query/summary.service';
import { WindowReader } from './query/window-reader';

const ANALYTICS_KEYS = Symbol('ANALYTICS_KEYS');

/** Consumers → aggregator → Redis, and the read API over the same keys, by feature folder. */
export const analyticsProviders: Provider[] = [
  // health: the counters /metrics serves
  AnalyticsMetrics,
  // aggregate
  { provide: ANALYTICS_KEYS, useFactory: (config: AnalyticsConfig) => analyticsKeys(config.ANALYTICS_KEY_SPACE), inject: [ANALYTICS_CONFIG] },
  {
    provide: BatchAggregator,
    useFactory: (redis: Redis, keys: AnalyticsKeyBuilder, config: AnalyticsConfig) =>
      new BatchAggregator(new RedisAggregateStore(redis, keys), {
        keys,
        groupId: config.ANALYTICS_GROUP_ID,
        windows: { secondsKeptMs: config.ANALYTICS_SECONDS_KEPT_MS, minutesKeptMs: config.ANALYTICS_MINUTES_KEPT_MS },
      }),
    inject: [REDIS, ANALYTICS_KEYS, ANALYTICS_CONFIG],
  },
  // ingest
  AnalyticsConsumers,
  // query (AnalyticsController serves these)
  { provide: WindowReader, useFactory: (redis: Redis, keys: AnalyticsKeyBuilder) => new WindowReader(redis, keys), inject: [REDIS, ANALYTICS_KEYS] },
  { provide: ErrorsService, useFactory: (reader: WindowReader) => new ErrorsService(reader), inject: [WindowReader] },
  { provide: RoomService, useFactory: (reader: WindowReader) => new RoomService(reader), inject: [WindowReader] },
  { provide: SummaryService, useFactory: (reader: WindowReader, errors: ErrorsService) => new SummaryService(reader, errors), inject: [WindowReader, ErrorsService] },
];
