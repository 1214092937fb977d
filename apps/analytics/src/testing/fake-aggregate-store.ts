import type { AggregateStore, PartitionRef } from '../aggregate/aggregate-store';
import type { Op } from '../aggregate/plan-builder';
import { OpsModel } from './ops-model';

/** The compare-and-set of the apply script, in memory; `beforeApply` lets a spec race it. */
export class FakeAggregateStore implements AggregateStore {
  readonly model = new OpsModel();
  readonly offsets = new Map<string, string>();
  applies = 0;
  beforeApply?: () => void;

  async storedNext(ref: PartitionRef): Promise<string | null> {
    return this.offsets.get(this.field(ref)) ?? null;
  }

  async apply(ref: PartitionRef, expected: string | null, next: string, ops: readonly Op[]): Promise<boolean> {
    this.beforeApply?.();
    if ((this.offsets.get(this.field(ref)) ?? null) !== expected) return false;
    this.applies++;
    this.model.apply(ops);
    this.offsets.set(this.field(ref), next);
    return true;
  }

  private field(ref: PartitionRef): string {
    return `${ref.groupId}|${ref.topic}/${ref.partition}`;
  }
}
