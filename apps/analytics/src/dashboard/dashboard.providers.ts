import { Provider } from '@nestjs/common';
import { LOGGER, Logger } from '@chat/logging';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../config/analytics.config';
import { SummaryService } from '../query/summary.service';
import { DASHBOARD_ASSETS } from './dashboard.controller';
import { loadDashboardAssets } from './dashboard-assets';
import { SummaryStream } from './summary-stream';

/** The page's files and the one stream every open dashboard shares (DashboardController serves both). */
export const dashboardProviders: Provider[] = [
  { provide: DASHBOARD_ASSETS, useFactory: loadDashboardAssets },
  {
    provide: SummaryStream,
    useFactory: (summaries: SummaryService, config: AnalyticsConfig, logger: Logger) =>
      new SummaryStream(() => summaries.summary(), { maxClients: config.ANALYTICS_SSE_MAX_CLIENTS, intervalMs: config.ANALYTICS_SSE_INTERVAL_MS }, (error) =>
        logger.warn({ err: error }, 'analytics stream: the summary could not be read'),
      ),
    inject: [SummaryService, ANALYTICS_CONFIG, LOGGER],
  },
];
