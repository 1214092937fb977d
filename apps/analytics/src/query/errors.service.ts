import { OpsLogLevelSchema, parseErrorField } from '@chat/contracts';
import type { WindowReader } from './window-reader';
import { lastMinutes } from './window-reader';

const TOP_MESSAGES = 10;
type LevelCounts = Record<'warn' | 'error' | 'fatal', number>;

export interface ErrorsView {
  windowMinutes: number;
  /** Records per service and level in the window. */
  services: Record<string, LevelCounts & { total: number }>;
  topMessages: { service: string; level: string; message: string; count: number }[];
}

/** ops.logs.v1 as counted per minute: the last `minutes` minute buckets, the current one included. */
export class ErrorsService {
  constructor(
    private readonly reader: WindowReader,
    private readonly clock: () => number = Date.now,
  ) {}

  async errors(minutes: number): Promise<ErrorsView> {
    const { keys } = this.reader;
    const buckets = lastMinutes(this.clock(), minutes);
    const hashes = await this.reader.hashes(buckets.map(keys.errors));
    const services: ErrorsView['services'] = {};
    for (const hash of hashes) {
      for (const [field, count] of Object.entries(hash)) {
        const { level, service } = parseErrorField(field);
        const parsedLevel = OpsLogLevelSchema.safeParse(level);
        if (!parsedLevel.success) continue;
        const row = (services[service] ??= { warn: 0, error: 0, fatal: 0, total: 0 });
        row[parsedLevel.data] += Number(count);
        row.total += Number(count);
      }
    }
    const top = await this.reader.top(buckets.map(keys.errorMessages), TOP_MESSAGES);
    const topMessages = top.map(({ member, score }) => {
      const [service, level, message] = JSON.parse(member) as [string, string, string];
      return { service, level, message, count: score };
    });
    return { windowMinutes: minutes, services, topMessages };
  }
}
