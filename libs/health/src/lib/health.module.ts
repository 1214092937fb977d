import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { READINESS_CHECKS, ReadinessCheck } from './readiness-check';
import { StartupProgress } from './startup-progress';

type CheckToken = string | symbol | (abstract new (...args: never[]) => ReadinessCheck);

@Module({})
export class HealthModule {
  /**
   * Serves /health/live and /health/ready; `checks` are the providers ready depends on, and
   * ready also waits for the app to call StartupProgress.finish().
   */
  static forRoot(checks: CheckToken[]): DynamicModule {
    return {
      module: HealthModule,
      global: true,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        StartupProgress,
        {
          provide: READINESS_CHECKS,
          useFactory: (...resolved: ReadinessCheck[]) => resolved,
          inject: [StartupProgress, ...checks],
        },
      ],
      exports: [StartupProgress],
    };
  }
}
