import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module';
import { RecentHistoryCache } from '../cache/recent-history.cache';
import { DeadLetterPublisher } from '@chat/kafka';
import { MessageRepository } from '../storage/message.repository';
import { BatchProcessor } from './batch-processor';
import { IngestConsumer } from './ingest.consumer';

@Module({
  imports: [CacheModule],
  providers: [
    {
      provide: BatchProcessor,
      useFactory: (store: MessageRepository, cache: RecentHistoryCache, dlq: DeadLetterPublisher) =>
        new BatchProcessor(store, cache, dlq),
      inject: [MessageRepository, RecentHistoryCache, DeadLetterPublisher],
    },
    IngestConsumer,
  ],
  exports: [IngestConsumer],
})
export class IngestModule {}
