import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from './pg-pool';
import { timedQuery } from './query-duration';

/** A user's read position in a room: the offset of the last message they read. */
export interface ReadPosition {
  roomId: string;
  userId: string;
  offset: number;
}

export interface ReadState {
  /** null: the user has read nothing in the room. */
  readOffset: number | null;
  /** Messages of the room after readOffset (all of them when it is null). */
  unread: number;
}

interface ReadStateRow {
  read_offset: string | null;
  unread: string;
}

/** Always one row: the LEFT JOIN yields read_offset null for a user with no position. Exported for the plan test. */
export const READ_STATE_SQL = `
  SELECT p.read_offset,
         (SELECT count(*) FROM messages m
           WHERE m.room_id = $1 AND m.kafka_offset > coalesce(p.read_offset, -1)) AS unread
    FROM (SELECT 1) AS one
    LEFT JOIN read_positions p ON p.room_id = $1 AND p.user_id = $2`;

function toSafeInteger(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`${what} ${value} exceeds 2^53`);
  return n;
}

@Injectable()
export class ReadPositionRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * One statement for the whole batch; a position only ever moves forward, so redelivered or
   * out-of-order receipts are harmless. The positions must be distinct per (room, user): one
   * INSERT ... ON CONFLICT DO UPDATE cannot touch a row twice. Rows are locked in the given order,
   * so callers pass them sorted to keep concurrent batches from deadlocking.
   * Returns how many positions were created or moved forward.
   */
  async advance(positions: readonly ReadPosition[]): Promise<number> {
    if (positions.length === 0) return 0;
    const result = await timedQuery('advance_read_positions', () =>
      this.pool.query(
        `INSERT INTO read_positions (room_id, user_id, read_offset)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
       ON CONFLICT (room_id, user_id) DO UPDATE
         SET read_offset = GREATEST(read_positions.read_offset, EXCLUDED.read_offset),
             updated_at = now()
         -- A receipt at or behind the stored position leaves the row (and updated_at) alone.
         WHERE read_positions.read_offset < EXCLUDED.read_offset`,
        [positions.map((p) => p.roomId), positions.map((p) => p.userId), positions.map((p) => String(p.offset))],
      ),
    );
    return result.rowCount ?? 0;
  }

  /**
   * The user's position and the exact count of the room's messages after it, in one statement
   * (one snapshot). The count is a range scan of the messages (room_id, kafka_offset) index.
   */
  async readState(roomId: string, userId: string): Promise<ReadState> {
    const { rows } = await timedQuery('read_state', () => this.pool.query<ReadStateRow>(READ_STATE_SQL, [roomId, userId]));
    // One row always: the count of an aggregate over no messages is 0, not no row.
    const [row] = rows;
    if (!row) throw new Error('the read-state query returned no row');
    return {
      readOffset: row.read_offset === null ? null : toSafeInteger(row.read_offset, 'read offset'),
      unread: toSafeInteger(row.unread, 'unread count'),
    };
  }
}
