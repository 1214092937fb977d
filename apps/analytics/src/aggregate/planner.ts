import {
  AnalyticsFields,
  AnalyticsKeyBuilder,
  ChatMessagesTopic,
  ChatSignalsTopic,
  decodeRecord,
  errorField,
  OpsLogsTopic,
  PresenceChangesTopic,
} from '@chat/contracts';
import type { SourceRecord } from '@chat/kafka';
import { delayBucket } from './delay-sketch';
import { Op, PlanBuilder } from './plan-builder';
import { minuteExpiry, minuteOf, secondExpiry, secondOf, Windows } from './windows';

/** The topics analytics reads. */
export const ANALYTICS_TOPICS = [ChatMessagesTopic.name, ChatSignalsTopic.name, PresenceChangesTopic.name, OpsLogsTopic.name] as const;
export type AnalyticsTopic = (typeof ANALYTICS_TOPICS)[number];

/** Longest error message kept as a member of the top-messages set. */
const MESSAGE_MEMBER_CHARS = 200;

export interface PlanContext {
  keys: AnalyticsKeyBuilder;
  windows: Windows;
  /** Consume time: delivery delay is measured to it, and buckets already expired are skipped. */
  now: number;
  /** False for a rebuild: its consume time says nothing of delivery, and the live delays are kept. */
  measureDelay?: boolean;
}

export interface Plan {
  ops: Op[];
  /** The partition's next offset once this batch is applied (last offset + 1). */
  nextOffset: string;
  counted: number;
  /** At or below the stored offset: applied before (a redelivery or a replay). */
  skipped: number;
  /** Broke the topic's contract: logged and left out. */
  invalid: number;
}

/** Where a record's increments go: the live buckets of its own time, never of the consume time. */
class Buckets {
  readonly sec: number;
  readonly min: number;
  readonly secExpiry: number;
  readonly minExpiry: number;

  constructor(
    readonly at: number,
    private readonly context: PlanContext,
  ) {
    this.sec = secondOf(at);
    this.min = minuteOf(at);
    this.secExpiry = secondExpiry(this.sec, context.windows);
    this.minExpiry = minuteExpiry(this.min, context.windows);
  }

  get secondLive(): boolean {
    return this.secExpiry > this.context.now;
  }

  get minuteLive(): boolean {
    return this.minExpiry > this.context.now;
  }
}

/** Adds a counter field to the totals and the record's second and minute, global and per room. */
function count(plan: PlanBuilder, context: PlanContext, buckets: Buckets, roomId: string, field: string, by: number): void {
  const { keys } = context;
  plan.hincrby(keys.totals(), field, by);
  plan.hincrby(keys.roomTotals(roomId), field, by);
  if (buckets.secondLive) {
    plan.hincrby(keys.second(buckets.sec), field, by, buckets.secExpiry);
    plan.hincrby(keys.roomSecond(buckets.sec, roomId), field, by, buckets.secExpiry);
  }
  if (buckets.minuteLive) {
    plan.hincrby(keys.minute(buckets.min), field, by, buckets.minExpiry);
    plan.hincrby(keys.roomMinute(buckets.min, roomId), field, by, buckets.minExpiry);
  }
}

type Planner = (plan: PlanBuilder, context: PlanContext, record: SourceRecord) => boolean;

const planMessage: Planner = (plan, context, record) => {
  const decoded = decodeRecord(ChatMessagesTopic, record.value);
  if (!decoded.ok) return false;
  const message = decoded.value;
  const { keys } = context;
  const buckets = new Buckets(Date.parse(message.sentAt), context);
  count(plan, context, buckets, message.roomId, AnalyticsFields.messages, 1);
  count(plan, context, buckets, message.roomId, AnalyticsFields.bytes, Buffer.byteLength(message.body, 'utf8'));
  if (buckets.minuteLive) {
    plan.pfadd(keys.senders(buckets.min), message.senderId, buckets.minExpiry);
    plan.pfadd(keys.roomSenders(buckets.min, message.roomId), message.senderId, buckets.minExpiry);
    plan.zincrby(keys.topRooms(buckets.min), message.roomId, 1, buckets.minExpiry);
    if (context.measureDelay !== false) plan.hincrby(keys.delay(buckets.min), String(delayBucket(context.now - buckets.at)), 1, buckets.minExpiry);
  }
  return true;
};

const planSignal: Planner = (plan, context, record) => {
  const decoded = decodeRecord(ChatSignalsTopic, record.value);
  if (!decoded.ok) return false;
  // Signals carry no time of their own: the record's timestamp (set by the producer) is theirs.
  const buckets = new Buckets(Number(record.timestamp), context);
  const field = decoded.value.type === 'typing' ? AnalyticsFields.typing : AnalyticsFields.receipts;
  count(plan, context, buckets, decoded.value.roomId, field, 1);
  return true;
};

const planPresence: Planner = (plan, context, record) => {
  const decoded = decodeRecord(PresenceChangesTopic, record.value);
  if (!decoded.ok) return false;
  const { keys } = context;
  const change = decoded.value;
  // A set, not a counter: the same transition applied twice leaves it as applying it once.
  plan.push([change.status === 'online' ? 'SADD' : 'SREM', keys.online(), change.userId]);
  const buckets = new Buckets(Date.parse(change.lastSeenAt), context);
  if (buckets.secondLive) {
    const key = keys.second(buckets.sec);
    plan.push(['HSETCARD', key, AnalyticsFields.online, keys.online()], key, buckets.secExpiry);
  }
  if (buckets.minuteLive) {
    const key = keys.minute(buckets.min);
    plan.push(['HSETCARD', key, AnalyticsFields.online, keys.online()], key, buckets.minExpiry);
  }
  return true;
};

const planOpsLog: Planner = (plan, context, record) => {
  const decoded = decodeRecord(OpsLogsTopic, record.value);
  if (!decoded.ok) return false;
  const log = decoded.value;
  const { keys } = context;
  const buckets = new Buckets(Date.parse(log.time), context);
  if (buckets.minuteLive) {
    plan.hincrby(keys.errors(buckets.min), errorField(log.level, log.service), 1, buckets.minExpiry);
    const member = JSON.stringify([log.service, log.level, log.message.slice(0, MESSAGE_MEMBER_CHARS)]);
    plan.zincrby(keys.errorMessages(buckets.min), member, 1, buckets.minExpiry);
  }
  return true;
};

// A Map, not a Record: topic names are strings to the compiler, so only a lookup that can miss is honest.
const PLANNERS: ReadonlyMap<AnalyticsTopic, Planner> = new Map([
  [ChatMessagesTopic.name, planMessage],
  [ChatSignalsTopic.name, planSignal],
  [PresenceChangesTopic.name, planPresence],
  [OpsLogsTopic.name, planOpsLog],
]);

export function isAnalyticsTopic(topic: string): topic is AnalyticsTopic {
  return (ANALYTICS_TOPICS as readonly string[]).includes(topic);
}

/**
 * The increments of one batch of one partition, pure: records below `storedNext` (the offset
 * the partition's last applied batch ended at) were counted before and are skipped.
 */
export function planBatch(topic: AnalyticsTopic, records: readonly SourceRecord[], storedNext: string | null, context: PlanContext): Plan {
  const planner = PLANNERS.get(topic);
  if (!planner) throw new Error(`no planner for topic ${topic}`);
  const plan = new PlanBuilder();
  const from = storedNext === null ? -1n : BigInt(storedNext);
  const outcome = { counted: 0, skipped: 0, invalid: 0 };
  let last = from - 1n;
  for (const record of records) {
    const offset = BigInt(record.offset);
    if (offset > last) last = offset;
    if (offset < from) outcome.skipped++;
    else if (planner(plan, context, record)) outcome.counted++;
    else outcome.invalid++;
  }
  const next = last + 1n > from ? last + 1n : from;
  return { ops: plan.build(), nextOffset: String(next), ...outcome };
}
