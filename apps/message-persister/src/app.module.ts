import { DynamicModule, Module } from '@nestjs/common';
import { kafkaSecurityOf } from '@chat/config';
import { KafkaModule } from '@chat/kafka';
import type { Logger } from '@chat/logging';
import { RedisModule } from '@chat/redis';
import { PersisterConfigModule } from './config/config.module';
import { ConsumingModule } from './consuming/consuming.module';
import { ConsumerGroups, DEFAULT_CONSUMER_GROUPS } from './consuming/consumer-groups';
import type { PersisterConfig } from './config/persister.config';
import { ObservabilityModule } from './health/observability.module';
import { HistoryModule } from './history/history.module';
import { IngestModule } from './ingest/ingest.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { ReceiptsModule } from './receipts/receipts.module';
import { StorageModule } from './storage/storage.module';

export const SERVICE_NAME = 'message-persister';

@Module({})
export class AppModule {
  static forRoot(config: PersisterConfig, logger: Logger, groups: ConsumerGroups = DEFAULT_CONSUMER_GROUPS): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PersisterConfigModule.forRoot(config, logger),
        KafkaModule.forRoot({ clientId: SERVICE_NAME, brokers: config.KAFKA_BROKERS, logger, security: kafkaSecurityOf(config) }),
        RedisModule.forRoot({ url: config.REDIS_URL, connectionName: SERVICE_NAME }),
        StorageModule,
        ConsumingModule.forRoot(groups),
        ObservabilityModule.forRoot({ token: config.METRICS_TOKEN }),
        IngestModule,
        ReceiptsModule,
        HistoryModule,
        LifecycleModule,
      ],
    };
  }
}
