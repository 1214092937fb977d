import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { HistoryPage, Message } from '@chat/contracts';
import { PG_POOL } from './pg-pool';
import { MESSAGE_COLUMNS, MessageRow, rowToMessage, toColumns } from './message-row';
import { toPage } from './history-page';

export interface InsertResult {
  /** Rows this call created (the rest already existed or lost a dedupe conflict). */
  inserted: number;
  /**
   * The stored rows for the batch's messageIds, as PostgreSQL has them, ascending by room and
   * offset. A message that lost a (room, sender, clientMsgId) conflict to another messageId is
   * absent: it must not be cached next to the one that won.
   */
  stored: Message[];
}

@Injectable()
export class MessageRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Idempotent: redelivered or duplicate messages are skipped, never raised as errors. One
   * statement: the outer SELECT reads the snapshot from before the INSERT, so it returns the
   * rows that already existed, and RETURNING adds the ones this call created.
   */
  async insertBatch(messages: readonly Message[]): Promise<InsertResult> {
    if (messages.length === 0) return { inserted: 0, stored: [] };
    const { rows } = await this.pool.query<MessageRow & { inserted: boolean }>(
      `WITH inserted AS (
         INSERT INTO messages (message_id, room_id, sender_id, client_msg_id, body, kafka_offset, sent_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::timestamptz[])
         ON CONFLICT DO NOTHING
         RETURNING ${MESSAGE_COLUMNS}
       )
       SELECT ${MESSAGE_COLUMNS}, true AS inserted FROM inserted
       UNION ALL
       SELECT ${MESSAGE_COLUMNS}, false AS inserted FROM messages WHERE message_id = ANY($1::text[])
       ORDER BY room_id, kafka_offset`,
      toColumns(messages),
    );
    return { inserted: rows.filter((row) => row.inserted).length, stored: rows.map(rowToMessage) };
  }

  latest(roomId: string, limit: number): Promise<HistoryPage> {
    return this.page(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE room_id = $1 ORDER BY kafka_offset DESC LIMIT $2`,
      [roomId, limit + 1],
      limit,
      'newest-first',
    );
  }

  /** The `limit` messages just before `offset` (exclusive); hasMore: older ones exist. */
  before(roomId: string, offset: number, limit: number): Promise<HistoryPage> {
    return this.page(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE room_id = $1 AND kafka_offset < $2 ORDER BY kafka_offset DESC LIMIT $3`,
      [roomId, offset, limit + 1],
      limit,
      'newest-first',
    );
  }

  /** The `limit` messages just after `offset` (exclusive); hasMore: newer ones exist. */
  after(roomId: string, offset: number, limit: number): Promise<HistoryPage> {
    return this.page(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE room_id = $1 AND kafka_offset > $2 ORDER BY kafka_offset ASC LIMIT $3`,
      [roomId, offset, limit + 1],
      limit,
      'oldest-first',
    );
  }

  private async page(
    sql: string,
    params: unknown[],
    limit: number,
    direction: 'newest-first' | 'oldest-first',
  ): Promise<HistoryPage> {
    const { rows } = await this.pool.query<MessageRow>(sql, params);
    return toPage(rows.map(rowToMessage), limit, direction);
  }
}
