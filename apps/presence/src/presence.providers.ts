import { Provider } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kafka, Producer } from 'kafkajs';
import { KAFKA } from '@chat/kafka';
import { LOGGER, Logger } from '@chat/logging';
import { REDIS, Redis } from '@chat/redis';
import { PRESENCE_CONFIG, PresenceConfig } from './config/presence.config';
import { PresenceMetrics } from './health/presence-metrics';
import { BatchProcessor } from './ingest/batch-processor';
import { DeadLetterPublisher, DeadLetterSink, PRESENCE_DEAD_LETTERS } from './ingest/dead-letter.publisher';
import { PresenceConsumer } from './ingest/presence.consumer';
import { ChangePublisher } from './leader/change-publisher';
import { PresenceLeader } from './leader/presence.leader';
import { PresenceEngine } from './state/presence-engine';
import { PresenceStore, RedisPresenceStore } from './state/presence-store';
import { INSTANCE_ID, PRESENCE_PRODUCER, PRESENCE_STORE } from './state/tokens';

/** The presence service by feature folder: state engine, ingest (consumer, DLQ), leader (sweeper + outbox publisher). */
export const presenceProviders: Provider[] = [
  // health: the counters /metrics serves
  PresenceMetrics,
  {
    provide: INSTANCE_ID,
    useFactory: (config: PresenceConfig) => config.PRESENCE_INSTANCE_ID ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    inject: [PRESENCE_CONFIG],
  },
  {
    provide: PRESENCE_PRODUCER,
    // Idempotent with acks=all: a change or a dead letter, once sent, is there exactly once and in order.
    useFactory: (kafka: Kafka) => kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false }),
    inject: [KAFKA],
  },
  {
    provide: PRESENCE_STORE,
    useFactory: (redis: Redis, config: PresenceConfig) => new RedisPresenceStore(redis, config.PRESENCE_GROUP_ID),
    inject: [REDIS, PRESENCE_CONFIG],
  },
  {
    provide: PresenceEngine,
    useFactory: (store: PresenceStore, config: PresenceConfig) =>
      new PresenceEngine(store, {
        group: config.PRESENCE_GROUP_ID,
        graceMs: config.PRESENCE_GRACE_MS,
        defaultLeaseMs: config.PRESENCE_DEFAULT_LEASE_MS,
      }),
    inject: [PRESENCE_STORE, PRESENCE_CONFIG],
  },
  {
    provide: PRESENCE_DEAD_LETTERS,
    useFactory: (producer: Producer) => new DeadLetterPublisher(producer),
    inject: [PRESENCE_PRODUCER],
  },
  {
    provide: BatchProcessor,
    useFactory: (engine: PresenceEngine, deadLetters: DeadLetterSink) => new BatchProcessor(engine, deadLetters),
    inject: [PresenceEngine, PRESENCE_DEAD_LETTERS],
  },
  {
    provide: ChangePublisher,
    useFactory: (producer: Producer, store: PresenceStore, metrics: PresenceMetrics, logger: Logger) => new ChangePublisher(producer, store, metrics, logger),
    inject: [PRESENCE_PRODUCER, PRESENCE_STORE, PresenceMetrics, LOGGER],
  },
  PresenceLeader,
  PresenceConsumer,
];
