import { Provider } from '@nestjs/common';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../config/analytics.config';
import { OpsAuth } from './ops-auth';
import { OpsAuthGuard } from './ops-auth.guard';
import { OpsTokenVerifier } from './ops-token-verifier';

/** Every /analytics/* controller guards itself with OpsAuthGuard; a token is required in production only. */
export const opsAuthProviders: Provider[] = [
  {
    provide: OpsAuth,
    useFactory: (config: AnalyticsConfig) => new OpsAuth(config.NODE_ENV === 'production' ? OpsTokenVerifier.fromConfig(config) : null),
    inject: [ANALYTICS_CONFIG],
  },
  OpsAuthGuard,
];
