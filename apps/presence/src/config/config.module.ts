import { DynamicModule, Global, Module } from '@nestjs/common';
import { LOGGER, Logger } from '@chat/logging';
import { PRESENCE_CONFIG, PresenceConfig } from './presence.config';

/** Makes the validated config and the process logger injectable everywhere. */
@Global()
@Module({})
export class PresenceConfigModule {
  static forRoot(config: PresenceConfig, logger: Logger): DynamicModule {
    return {
      module: PresenceConfigModule,
      providers: [
        { provide: PRESENCE_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
      ],
      exports: [PRESENCE_CONFIG, LOGGER],
    };
  }
}
