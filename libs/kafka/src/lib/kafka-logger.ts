import { logLevel, LogEntry } from 'kafkajs';
import type { Logger } from '@chat/logging';

/** Sends kafkajs's own logs through the service's structured logger. */
export function kafkaLogCreator(logger: Logger) {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...fields } = log;
      const target = logger.child({ component: 'kafkajs' });
      if (level === logLevel.ERROR) target.error(fields, message);
      else if (level === logLevel.WARN) target.warn(fields, message);
      else if (level === logLevel.INFO) target.info(fields, message);
      else target.debug(fields, message);
    };
}
