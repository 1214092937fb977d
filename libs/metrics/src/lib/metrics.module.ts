import { Controller, DynamicModule, Get, Global, Header, Headers, Inject, Module, UnauthorizedException } from '@nestjs/common';
import { Registry } from 'prom-client';
import { bearerTokenMatches } from './bearer-token';
import { registeredProcessMetrics } from './process-metrics';
import { collectRuntimeMetrics } from './runtime-metrics';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
const METRICS_OPTIONS = Symbol('METRICS_OPTIONS');

export interface MetricsOptions {
  /** When set, a scrape must send `Authorization: Bearer <token>` (METRICS_TOKEN; required in production). */
  token?: string;
}

@Controller('metrics')
class MetricsController {
  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(METRICS_OPTIONS) private readonly options: MetricsOptions,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  scrape(@Headers('authorization') authorization: string | undefined): Promise<string> {
    if (this.options.token !== undefined && !bearerTokenMatches(authorization, this.options.token)) {
      throw new UnauthorizedException('/metrics needs Authorization: Bearer <METRICS_TOKEN>');
    }
    return this.registry.metrics();
  }
}

/** Serves /metrics in the Prometheus format: process metrics plus whatever the app registers. */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(options: MetricsOptions = {}): DynamicModule {
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [
        { provide: METRICS_OPTIONS, useValue: options },
        {
          provide: METRICS_REGISTRY,
          useFactory: () => {
            const registry = new Registry();
            collectRuntimeMetrics(registry);
            for (const metric of registeredProcessMetrics()) registry.registerMetric(metric);
            return registry;
          },
        },
      ],
      exports: [METRICS_REGISTRY],
    };
  }
}
