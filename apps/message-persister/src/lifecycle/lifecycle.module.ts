import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module';
import { StartupSequence } from './startup';

@Module({ imports: [IngestModule], providers: [StartupSequence], exports: [StartupSequence] })
export class LifecycleModule {}
