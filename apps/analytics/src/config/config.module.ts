import { DynamicModule, Global, Module } from '@nestjs/common';
import { LOGGER, Logger } from '@chat/logging';
import { ANALYTICS_CONFIG, AnalyticsConfig } from './analytics.config';

/** Makes the validated config and the process logger injectable everywhere. */
@Global()
@Module({})
export class AnalyticsConfigModule {
  static forRoot(config: AnalyticsConfig, logger: Logger): DynamicModule {
    return {
      module: AnalyticsConfigModule,
      providers: [
        { provide: ANALYTICS_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
      ],
      exports: [ANALYTICS_CONFIG, LOGGER],
    };
  }
}
