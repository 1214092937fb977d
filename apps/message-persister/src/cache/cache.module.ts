import { Module } from '@nestjs/common';
import { RecentHistoryCache } from './recent-history.cache';

@Module({ providers: [RecentHistoryCache], exports: [RecentHistoryCache] })
export class CacheModule {}
