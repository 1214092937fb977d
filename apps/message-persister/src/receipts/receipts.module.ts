import { Module } from '@nestjs/common';
import { DeadLetterPublisher } from '@chat/kafka';
import { ReadPositionRepository } from '../storage/read-position.repository';
import { ReceiptProcessor } from './receipt-processor';
import { ReceiptsConsumer } from './receipts.consumer';

@Module({
  providers: [
    {
      provide: ReceiptProcessor,
      useFactory: (store: ReadPositionRepository, dlq: DeadLetterPublisher) => new ReceiptProcessor(store, dlq),
      inject: [ReadPositionRepository, DeadLetterPublisher],
    },
    ReceiptsConsumer,
  ],
  exports: [ReceiptsConsumer],
})
export class ReceiptsModule {}
