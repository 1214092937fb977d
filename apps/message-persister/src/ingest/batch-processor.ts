import type { Message } from '@chat/contracts';
import type { InsertResult } from '../storage/message.repository';
import type { DeadLetterSink } from '@chat/kafka';
import { splitBatch, ValidRecord } from './record-validation';
import type { BatchSource, DeadLetter, SourceRecord } from '@chat/kafka';

export interface MessageStore {
  insertBatch(messages: readonly Message[]): Promise<InsertResult>;
}
export interface RecentCache {
  add(messages: readonly Message[]): Promise<void>;
}

export interface BatchOutcome {
  inserted: number;
  /** Valid records that were already stored (redelivery) or lost a dedupe conflict. */
  duplicates: number;
  invalid: number;
  rejected: number;
}

/** SQLSTATE classes that blame the row, not the database: retrying the same row cannot help. */
const ROW_ERROR_CLASSES = ['22', '23', '54'];

export function isRowError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && ROW_ERROR_CLASSES.includes(code.slice(0, 2));
}

/**
 * One batch of chat.messages.v1: valid records go to PostgreSQL and then to the recent-history
 * cache, then the contract-breaking and refused ones to the DLQ. Any failure of PostgreSQL, Redis or the DLQ throws, so
 * the caller leaves the offsets unresolved and Kafka redelivers; every step is idempotent.
 */
export class BatchProcessor {
  constructor(
    private readonly store: MessageStore,
    private readonly cache: RecentCache,
    private readonly deadLetters: DeadLetterSink,
  ) {}

  async process(from: BatchSource, records: readonly SourceRecord[]): Promise<BatchOutcome> {
    const { valid, invalid } = splitBatch(records);
    const { result, rejected } = await this.insert(valid);
    const letters: DeadLetter[] = [
      ...invalid.map(({ source, error }) => ({ source, error, reason: 'invalid' as const })),
      ...rejected,
    ];
    await this.cache.add(result.stored);
    // Last: a batch that fails before this is retried, and would dead-letter the same records again.
    await this.deadLetters.publish(letters, from);
    const storedCount = valid.length - rejected.length;
    return {
      inserted: result.inserted,
      duplicates: storedCount - result.inserted,
      invalid: invalid.length,
      rejected: rejected.length,
    };
  }

  private async insert(valid: ValidRecord[]): Promise<{ result: InsertResult; rejected: DeadLetter[] }> {
    try {
      return { result: await this.store.insertBatch(valid.map((v) => v.message)), rejected: [] };
    } catch (error) {
      if (!isRowError(error)) throw error;
      return this.insertOneByOne(valid);
    }
  }

  /** Finds the rows PostgreSQL refuses, so one bad row cannot block its partition forever. */
  private async insertOneByOne(valid: ValidRecord[]): Promise<{ result: InsertResult; rejected: DeadLetter[] }> {
    const result: InsertResult = { inserted: 0, stored: [] };
    const rejected: DeadLetter[] = [];
    for (const { message, source } of valid) {
      try {
        const one = await this.store.insertBatch([message]);
        result.inserted += one.inserted;
        result.stored.push(...one.stored);
      } catch (error) {
        if (!isRowError(error)) throw error;
        rejected.push({ source, error: `rejected by PostgreSQL: ${(error as Error).message}`, reason: 'rejected' });
      }
    }
    return { result, rejected };
  }
}
