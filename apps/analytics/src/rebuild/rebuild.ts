import type { Admin, Kafka } from 'kafkajs';
import { analyticsKeys, AnalyticsKeyBuilder } from '@chat/contracts';
import type { Logger } from '@chat/logging';
import type { Redis } from '@chat/redis';
import { RedisAggregateStore } from '../aggregate/aggregate-store';
import { BatchAggregator, BatchOutcome } from '../aggregate/batch-aggregator';
import { ANALYTICS_TOPICS, AnalyticsTopic } from '../aggregate/planner';
import type { AnalyticsConfig } from '../config/analytics.config';
import { groupIdOf } from '../ingest/analytics.consumers';
import { RebuildLock } from './rebuild-lock';
import { PartitionRange, replayRanges } from './replay';

export interface RebuildOptions {
  kafka: Kafka;
  redis: Redis;
  config: Pick<AnalyticsConfig, 'ANALYTICS_GROUP_ID' | 'ANALYTICS_KEY_SPACE' | 'ANALYTICS_SECONDS_KEPT_MS' | 'ANALYTICS_MINUTES_KEPT_MS'>;
  logger: Logger;
  /** Epoch ms: every record whose Kafka timestamp is at or after it is counted again. */
  sinceMs: number;
}

export interface RebuildReport {
  since: string;
  /** Counted keys removed before the replay. */
  cleared: number;
  topics: Array<{ topic: AnalyticsTopic; partitions: Array<Omit<PartitionRange, 'topic'>> } & BatchOutcome>;
  /** Whether the live consumer groups were idle and now resume where the rebuild ended. */
  liveGroupsMoved: boolean;
}

const SCAN_COUNT = 1000;
const DELETE_CHUNK = 500;
const fieldOf = (topic: string, partition: number) => `${topic}/${partition}`;

/**
 * Clears the counted aggregates and counts the retained log again from `sinceMs` (ADR 0022).
 * Holds the rebuild lock throughout, so a live service that runs meanwhile applies nothing
 * (its batches are redelivered) and carries on afterwards from the offsets the rebuild stored.
 */
export async function rebuildAnalytics(options: RebuildOptions): Promise<RebuildReport> {
  const { kafka, redis, config, logger, sinceMs } = options;
  const keys = analyticsKeys(config.ANALYTICS_KEY_SPACE);
  const base = config.ANALYTICS_GROUP_ID;
  const lock = await RebuildLock.acquire(redis, keys.rebuildLock());
  const admin = kafka.admin();
  try {
    await admin.connect();
    // Read after the lock is held: nothing the live service applies can lie past these ends.
    const ranges = await rangesSince(admin, sinceMs);
    const cleared = await clearCounted(redis, keys, base, ranges);
    const idle = await liveGroupsIdle(admin, base);
    // A rebuild that dies from here on is finished by the live service: it resumes at `from`.
    if (idle) await moveLiveGroups(admin, base, ranges.map((r) => ({ ...r, offset: r.from })), logger);
    logger.info({ since: new Date(sinceMs).toISOString(), cleared, liveGroupsIdle: idle }, 'rebuild: cleared the counted keys, replaying');
    const aggregator = new BatchAggregator(new RedisAggregateStore(redis, keys, lock.token), {
      keys,
      groupId: base,
      windows: { secondsKeptMs: config.ANALYTICS_SECONDS_KEPT_MS, minutesKeptMs: config.ANALYTICS_MINUTES_KEPT_MS },
      measureDelay: false,
    });
    const outcomes = await replayRanges({ kafka, logger, aggregator, groupId: `${base}.rebuild.${lock.token}`, ranges, check: () => lock.assertHeld() });
    lock.assertHeld();
    const stored = await redis.hgetall(keys.offsets(base));
    const ended = ranges.map((r) => ({ ...r, to: stored[fieldOf(r.topic, r.partition)] ?? r.to }));
    const liveGroupsMoved = idle && (await liveGroupsIdle(admin, base)) && (await moveLiveGroups(admin, base, ended.map((r) => ({ ...r, offset: r.to })), logger));
    return {
      since: new Date(sinceMs).toISOString(),
      cleared,
      topics: ANALYTICS_TOPICS.map((topic) => ({
        topic,
        partitions: ended.filter((r) => r.topic === topic).map(({ partition, from, to }) => ({ partition, from, to })),
        ...(outcomes.get(topic) ?? { counted: 0, skipped: 0, invalid: 0 }),
      })),
      liveGroupsMoved,
    };
  } finally {
    await admin.disconnect().catch(() => undefined);
    await lock.release();
  }
}

/** Per partition: the first offset whose timestamp is at or after `sinceMs` (the end if none), to the end. */
async function rangesSince(admin: Admin, sinceMs: number): Promise<PartitionRange[]> {
  const ranges: PartitionRange[] = [];
  for (const topic of ANALYTICS_TOPICS) {
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
    for (const { partition, offset } of await admin.fetchTopicOffsetsByTimestamp(topic, sinceMs)) {
      const to = ends.get(partition) ?? offset;
      // A partition written after the ends were read: its end is where it starts, nothing in range yet.
      const from = BigInt(offset) <= BigInt(to) ? offset : to;
      ranges.push({ topic, partition, from, to });
    }
  }
  return ranges;
}

/** Removes the counted keys and stores each partition's next offset as the start of its range. */
async function clearCounted(redis: Redis, keys: AnalyticsKeyBuilder, groupId: string, ranges: readonly PartitionRange[]): Promise<number> {
  let cleared = 0;
  for (const pattern of keys.countedPatterns()) {
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
      cursor = next;
      for (let i = 0; i < found.length; i += DELETE_CHUNK) cleared += await redis.unlink(...found.slice(i, i + DELETE_CHUNK));
    } while (cursor !== '0');
  }
  await redis.del(keys.offsets(groupId));
  const starts = ranges.flatMap((r) => [fieldOf(r.topic, r.partition), r.from]);
  if (starts.length > 0) await redis.hset(keys.offsets(groupId), ...starts);
  return cleared;
}

const liveGroupIds = (base: string) => ANALYTICS_TOPICS.map((topic) => groupIdOf(base, topic));

async function liveGroupsIdle(admin: Admin, base: string): Promise<boolean> {
  const { groups } = await admin.describeGroups(liveGroupIds(base));
  return groups.every((group) => group.members.length === 0);
}

/** Kafka lets a group's offsets be set only while it has no members: false if one joined meanwhile. */
async function moveLiveGroups(admin: Admin, base: string, positions: ReadonlyArray<{ topic: string; partition: number; offset: string }>, logger: Logger): Promise<boolean> {
  try {
    for (const topic of ANALYTICS_TOPICS) {
      const partitions = positions.filter((p) => p.topic === topic).map(({ partition, offset }) => ({ partition, offset }));
      await admin.setOffsets({ groupId: groupIdOf(base, topic), topic, partitions });
    }
    return true;
  } catch (error) {
    logger.warn({ err: error }, 'rebuild: could not move the live consumer groups (one has members now); the live service skips what was counted');
    return false;
  }
}
