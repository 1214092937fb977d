import { Module } from '@nestjs/common';
import { HistoryServer } from './history.server';

@Module({ providers: [HistoryServer], exports: [HistoryServer] })
export class HistoryModule {}
