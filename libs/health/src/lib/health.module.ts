import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { READINESS_CHECKS, ReadinessCheck } from './readiness-check';

type CheckToken = string | symbol | (abstract new (...args: never[]) => ReadinessCheck);

@Module({})
export class HealthModule {
  /** Serves /health/live and /health/ready; `checks` are the providers ready depends on. */
  static forRoot(checks: CheckToken[]): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        {
          provide: READINESS_CHECKS,
          useFactory: (...resolved: ReadinessCheck[]) => resolved,
          inject: checks,
        },
      ],
    };
  }
}
