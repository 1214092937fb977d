import { ChatSignalsTopic, decodeRecord } from '@chat/contracts';
import type { DeadLetterSink } from '@chat/kafka';
import type { ReadPosition } from '../storage/read-position.repository';
import type { BatchSource, DeadLetter, SourceRecord } from '@chat/kafka';

export interface ReadPositionStore {
  /** Creates or moves forward each position (never back); returns how many changed. */
  advance(positions: readonly ReadPosition[]): Promise<number>;
}

export interface SignalBatch {
  receipts: ReadPosition[];
  /** Typing signals are ephemeral: counted, never stored. */
  typing: number;
  invalid: DeadLetter[];
}

export interface ReceiptOutcome {
  /** Valid receipt signals in the batch. */
  receipts: number;
  /** Distinct (room, user) positions written after collapsing the batch. */
  positions: number;
  /** Positions created or moved forward (the rest were at or behind what is stored). */
  advanced: number;
  typing: number;
  invalid: number;
}

/**
 * Sorts a batch of chat.signals.v1 records. Unlike chat.messages, the record key is not checked
 * against the roomId: positions only move forward, so the order receipts arrive in (and the
 * partition they came through) cannot change the result.
 */
export function splitSignals(records: readonly SourceRecord[]): SignalBatch {
  const split: SignalBatch = { receipts: [], typing: 0, invalid: [] };
  for (const source of records) {
    const decoded = decodeRecord(ChatSignalsTopic, source.value);
    if (!decoded.ok) {
      split.invalid.push({ source, error: decoded.error, reason: 'invalid' });
      continue;
    }
    const signal = decoded.value;
    if (signal.type === 'receipt') split.receipts.push({ roomId: signal.roomId, userId: signal.userId, offset: signal.offset });
    else split.typing++;
  }
  return split;
}

/**
 * The furthest position per (room, user), sorted by room then user: one row per key, as a single
 * upsert needs, and the same lock order for every batch, so concurrent batches cannot deadlock.
 */
export function collapseReceipts(receipts: readonly ReadPosition[]): ReadPosition[] {
  const furthest = new Map<string, ReadPosition>();
  for (const receipt of receipts) {
    // Neither id can contain NUL (their schemas forbid it), so the key is unambiguous.
    const key = `${receipt.roomId}\u0000${receipt.userId}`;
    const seen = furthest.get(key);
    if (!seen || receipt.offset > seen.offset) furthest.set(key, { ...receipt });
  }
  const byRoomThenUser = (a: ReadPosition, b: ReadPosition) =>
    a.roomId < b.roomId ? -1 : a.roomId > b.roomId ? 1 : a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;
  return [...furthest.values()].sort(byRoomThenUser);
}

/**
 * One batch of chat.signals.v1: receipts collapse to one upsert, contract-breaking records go to
 * the DLQ, typing is ignored. Throws if PostgreSQL or the DLQ fails, so the caller leaves the
 * offsets unresolved and Kafka redelivers; both steps are idempotent.
 */
export class ReceiptProcessor {
  constructor(
    private readonly store: ReadPositionStore,
    private readonly deadLetters: DeadLetterSink,
  ) {}

  async process(from: BatchSource, records: readonly SourceRecord[]): Promise<ReceiptOutcome> {
    const { receipts, typing, invalid } = splitSignals(records);
    const positions = collapseReceipts(receipts);
    const advanced = positions.length > 0 ? await this.store.advance(positions) : 0;
    await this.deadLetters.publish(invalid, from);
    return { receipts: receipts.length, positions: positions.length, advanced, typing, invalid: invalid.length };
  }
}
