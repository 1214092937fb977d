import { Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module';
import { IngestModule } from '../ingest/ingest.module';
import { ReceiptsModule } from '../receipts/receipts.module';
import { StartupSequence } from './startup';

@Module({ imports: [IngestModule, ReceiptsModule, HistoryModule], providers: [StartupSequence], exports: [StartupSequence] })
export class LifecycleModule {}
