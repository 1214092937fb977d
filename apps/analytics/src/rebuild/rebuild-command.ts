import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import { ConfigError, kafkaSecurityOf } from '@chat/config';
import { createKafka } from '@chat/kafka';
import { createLogger } from '@chat/logging';
import { AnalyticsConfig, loadAnalyticsConfig } from '../config/analytics.config';
import { rebuildAnalytics } from './rebuild';
import { RebuildRefusedError } from './rebuild-lock';
import { parseSince, SinceError } from './since';

export const REBUILD_USAGE = 'usage: rebuild --since <30m|2h|1d> (whole minutes, hours or days back from now)';

/** The arguments after `rebuild`: the time back from now to recount from, in ms. */
export function parseRebuildArgs(args: readonly string[]): number {
  let since: string | undefined;
  try {
    since = parseArgs({ args: [...args], options: { since: { type: 'string' } }, strict: true, allowPositionals: false }).values.since;
  } catch (error) {
    throw new RebuildRefusedError(`${error instanceof Error ? error.message : String(error)}\n${REBUILD_USAGE}`);
  }
  if (since === undefined) throw new RebuildRefusedError(`--since is required\n${REBUILD_USAGE}`);
  try {
    return parseSince(since);
  } catch (error) {
    if (error instanceof SinceError) throw new RebuildRefusedError(`${error.message}\n${REBUILD_USAGE}`);
    throw error;
  }
}

/**
 * `node main.js rebuild --since 2h`: exit 0 with a JSON report on stdout, 1 when refused or
 * failed (the reason on stderr). The windows are partial until a rebuild that failed is run again.
 */
export async function rebuildCommand(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let sinceBackMs: number;
  let config: AnalyticsConfig;
  try {
    sinceBackMs = parseRebuildArgs(args);
    config = loadAnalyticsConfig(env);
  } catch (error) {
    if (!(error instanceof RebuildRefusedError || error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  const logger = createLogger('analytics-rebuild', config.LOG_LEVEL);
  const kafka = createKafka({ clientId: 'analytics-rebuild', brokers: config.KAFKA_BROKERS, logger, security: kafkaSecurityOf(config) });
  // Unlike the service's client, commands wait for the connection: a command has nothing else to do.
  const redis = new Redis(config.REDIS_URL, { connectionName: 'analytics-rebuild', maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined);
  try {
    const report = await rebuildAnalytics({ kafka, redis, config, logger, sinceMs: Date.now() - sinceBackMs });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof RebuildRefusedError) process.stderr.write(`${error.message}\n`);
    else logger.error({ err: error }, 'rebuild failed; the windows are partial until a rebuild succeeds');
    return 1;
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}
