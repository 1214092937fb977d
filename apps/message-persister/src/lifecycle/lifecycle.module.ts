import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module';
import { ReceiptsModule } from '../receipts/receipts.module';
import { StartupSequence } from './startup';

@Module({ imports: [IngestModule, ReceiptsModule], providers: [StartupSequence], exports: [StartupSequence] })
export class LifecycleModule {}
