import type { ReadinessCheck } from '@chat/health';
import { allAnswer, BatchConsumerOptions, BatchSource, classifyCommonError, DEFAULT_ISOLATION, DeadLetter, FailureKind } from '@chat/kafka';
import type { DeadLetterSink } from '@chat/kafka';

/** SQLSTATE classes that blame the row: 22 data exception, 23 integrity, 54 limit exceeded. */
const POISON_CLASSES = new Set(['22', '23', '54']);
/** SQLSTATE classes of a database that is down, overloaded or restarting: wait, never dead-letter. */
const OUTAGE_CLASSES = new Set(['08', '40', '53', '57', '58']);

/**
 * PostgreSQL's SQLSTATE first (node-pg puts it in `code`), then network errors. Unique
 * violations never reach here: inserts and upserts absorb them (ON CONFLICT).
 */
export function classifyPersisterError(error: unknown): FailureKind {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    if (POISON_CLASSES.has(code.slice(0, 2))) return 'poison';
    if (OUTAGE_CLASSES.has(code.slice(0, 2))) return 'outage';
  }
  return classifyCommonError(error);
}

export interface IsolationDeps {
  /** What the consumer's processing needs; a record is only poison while all of them answer. */
  checks: readonly ReadinessCheck[];
  deadLetters: DeadLetterSink;
  maxAttempts: number;
  onDeadLettered?: (count: number) => void;
}

export function persisterIsolation({ checks, deadLetters, maxAttempts, onDeadLettered }: IsolationDeps): NonNullable<BatchConsumerOptions['isolation']> {
  return {
    classify: classifyPersisterError,
    healthy: allAnswer(checks),
    deadLetter: async (from: BatchSource, letters: readonly DeadLetter[]) => {
      await deadLetters.publish(letters, from);
      onDeadLettered?.(letters.length);
    },
    options: { ...DEFAULT_ISOLATION, maxAttempts },
  };
}
