import type { AnalyticsKeyBuilder } from '@chat/contracts';
import type { BatchSource, SourceRecord } from '@chat/kafka';
import type { AggregateStore } from './aggregate-store';
import { AnalyticsTopic, isAnalyticsTopic, Plan, planBatch } from './planner';
import type { Windows } from './windows';

/** Compare-and-set rounds before a batch fails (and is redelivered): only a rebalance races. */
const MAX_ATTEMPTS = 5;

export interface AggregatorOptions {
  keys: AnalyticsKeyBuilder;
  windows: Windows;
  /** Names the stored offsets: the same for every topic's consumer group. */
  groupId: string;
  clock?: () => number;
  /** PlanContext.measureDelay: false for a rebuild. */
  measureDelay?: boolean;
}

export type BatchOutcome = Pick<Plan, 'counted' | 'skipped' | 'invalid'>;

/**
 * One batch of one partition: read the stored offset, plan the increments of the records past
 * it, apply them with the new offset in one script; if the offset moved meanwhile, do it again.
 */
export class BatchAggregator {
  private readonly clock: () => number;

  constructor(
    private readonly store: AggregateStore,
    private readonly options: AggregatorOptions,
  ) {
    this.clock = options.clock ?? Date.now;
  }

  async process(from: BatchSource, records: readonly SourceRecord[]): Promise<BatchOutcome> {
    if (!isAnalyticsTopic(from.topic)) throw new Error(`analytics does not read topic ${from.topic}`);
    const topic: AnalyticsTopic = from.topic;
    const ref = { groupId: this.options.groupId, topic, partition: from.partition };
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const stored = await this.store.storedNext(ref);
      const plan = planBatch(topic, records, stored, {
        keys: this.options.keys,
        windows: this.options.windows,
        now: this.clock(),
        measureDelay: this.options.measureDelay,
      });
      if (plan.counted === 0 && plan.nextOffset === stored) return plan;
      if (await this.store.apply(ref, stored, plan.nextOffset, plan.ops)) return plan;
    }
    throw new Error(`stored offset of ${topic}/${from.partition} kept moving; the batch will be redelivered`);
  }
}
