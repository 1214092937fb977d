import { DynamicModule, Global, Module } from '@nestjs/common';
import { LOGGER, Logger } from '@chat/logging';
import { PERSISTER_CONFIG, PersisterConfig } from './persister.config';

/** Makes the validated config and the process logger injectable everywhere. */
@Global()
@Module({})
export class PersisterConfigModule {
  static forRoot(config: PersisterConfig, logger: Logger): DynamicModule {
    return {
      module: PersisterConfigModule,
      providers: [
        { provide: PERSISTER_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
      ],
      exports: [PERSISTER_CONFIG, LOGGER],
    };
  }
}
