import { Global, Module } from '@nestjs/common';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../config/analytics.config';
import { OpsAuth } from './ops-auth';
import { OpsAuthGuard } from './ops-auth.guard';
import { OpsTokenVerifier } from './ops-token-verifier';

/** Global: every /analytics/* controller guards itself with OpsAuthGuard. */
@Global()
@Module({
  providers: [
    {
      provide: OpsAuth,
      useFactory: (config: AnalyticsConfig) => new OpsAuth(config.NODE_ENV === 'production' ? OpsTokenVerifier.fromConfig(config) : null),
      inject: [ANALYTICS_CONFIG],
    },
    OpsAuthGuard,
  ],
  exports: [OpsAuth, OpsAuthGuard],
})
export class OpsAuthModule {}
