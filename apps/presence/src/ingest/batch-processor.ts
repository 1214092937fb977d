import type { EngineStats, PresenceEngine } from '../state/presence-engine';
import type { DeadLetterSink } from '@chat/kafka';
import { splitBatch } from './record-validation';
import type { BatchSource, SourceRecord } from '@chat/kafka';

export interface BatchOutcome extends EngineStats {
  invalid: number;
}

/**
 * One batch of presence.events.v1: records that break the contract go to the DLQ, the rest are
 * applied to Redis (state, room sets, deadlines and the changes' outbox, atomically per commit).
 * Any failure throws, so the offsets stay unresolved and Kafka redelivers; applying is idempotent.
 */
export class BatchProcessor {
  constructor(
    private readonly engine: Pick<PresenceEngine, 'applyRecords'>,
    private readonly deadLetters: DeadLetterSink,
  ) {}

  async process(from: BatchSource, records: readonly SourceRecord[]): Promise<BatchOutcome> {
    const { valid, invalid } = splitBatch(records);
    await this.deadLetters.publish(
      invalid.map(({ source, error }) => ({ source, error, reason: 'invalid' as const })),
      from,
    );
    const stats = valid.length > 0 ? await this.engine.applyRecords(from.partition, valid) : { applied: 0, duplicates: 0, stale: 0, conflicts: 0, changes: [] };
    return { ...stats, invalid: invalid.length };
  }
}
