import { DynamicModule, Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { StartupProgress } from '@chat/bootstrap';
import { HealthController } from './health.controller';
import { READINESS_CHECKS, ReadinessCheck } from './readiness-check';

type CheckToken = string | symbol | (abstract new (...args: never[]) => ReadinessCheck);

const CHECK_TOKENS = Symbol('CHECK_TOKENS');

/**
 * The checks ready runs, found wherever the app provides them: a service's one AppModule need not
 * make its providers global for this module to see them.
 */
@Injectable()
class ReadinessChecks implements OnModuleInit {
  readonly all: ReadinessCheck[] = [];

  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(CHECK_TOKENS) private readonly tokens: CheckToken[],
    private readonly startup: StartupProgress,
  ) {}

  /** Every provider exists by now; a token nothing provides fails start-up here, not a probe later. */
  onModuleInit(): void {
    this.all.push(this.startup, ...this.tokens.map((token) => this.moduleRef.get<ReadinessCheck>(token, { strict: false })));
  }
}

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
        { provide: CHECK_TOKENS, useValue: checks },
        ReadinessChecks,
        { provide: READINESS_CHECKS, useFactory: (checks: ReadinessChecks) => checks.all, inject: [ReadinessChecks] },
      ],
      exports: [StartupProgress],
    };
  }
}
