import type { Pool } from 'pg';
import { message } from '../testing/fixtures';
import { migratedPool, uniqueRoom } from '../testing/infra';
import { MessageRepository } from './message.repository';
import { READ_STATE_SQL, ReadPositionRepository } from './read-position.repository';

describe('ReadPositionRepository (PostgreSQL)', () => {
  let pool: Pool;
  let positions: ReadPositionRepository;
  let messages: MessageRepository;
  const rooms: string[] = [];
  const room = () => {
    const roomId = uniqueRoom('readpos');
    rooms.push(roomId);
    return roomId;
  };

  beforeAll(async () => {
    pool = await migratedPool();
    positions = new ReadPositionRepository(pool);
    messages = new MessageRepository(pool);
  });

  afterAll(async () => {
    await pool.query('DELETE FROM read_positions WHERE room_id = ANY($1::text[])', [rooms]);
    await pool.query('DELETE FROM messages WHERE room_id = ANY($1::text[])', [rooms]);
    await pool.end();
  });

  async function row(roomId: string, userId: string): Promise<{ read_offset: string; updated_at: Date } | undefined> {
    const { rows } = await pool.query('SELECT read_offset, updated_at FROM read_positions WHERE room_id = $1 AND user_id = $2', [roomId, userId]);
    return rows[0];
  }

  it('creates positions and only ever moves them forward, saying how many changed', async () => {
    const roomId = room();
    expect(
      await positions.advance([
        { roomId, userId: 'alice', offset: 10 },
        { roomId, userId: 'bob', offset: 3 },
      ]),
    ).toBe(2);
    const created = await row(roomId, 'alice');

    expect(
      await positions.advance([
        { roomId, userId: 'alice', offset: 5 },
        { roomId, userId: 'bob', offset: 3 },
      ]),
    ).toBe(0);
    // A receipt that does not move the position leaves the row alone, updated_at included.
    expect(await row(roomId, 'alice')).toEqual(created);
    expect((await row(roomId, 'bob'))?.read_offset).toBe('3');

    expect(await positions.advance([{ roomId, userId: 'alice', offset: 11 }])).toBe(1);
    const moved = await row(roomId, 'alice');
    expect(moved?.read_offset).toBe('11');
    expect(moved?.updated_at.getTime()).toBeGreaterThanOrEqual(created?.updated_at.getTime() ?? Infinity);
    expect(await positions.advance([])).toBe(0);
  });

  it('holds offsets beyond 2^31 (bigint)', async () => {
    const roomId = room();
    await positions.advance([{ roomId, userId: 'alice', offset: 2 ** 40 }]);
    expect(await positions.readState(roomId, 'alice')).toEqual({ readOffset: 2 ** 40, unread: 0 });
  });

  it('counts exactly the messages of the room after the read offset', async () => {
    const roomId = room();
    const other = room();
    await messages.insertBatch([...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((offset) => message(offset, { roomId })), message(20, { roomId: other })]);

    expect(await positions.readState(roomId, 'carol')).toEqual({ readOffset: null, unread: 10 });
    await positions.advance([{ roomId, userId: 'alice', offset: 6 }]);
    expect(await positions.readState(roomId, 'alice')).toEqual({ readOffset: 6, unread: 3 });
    await positions.advance([{ roomId, userId: 'alice', offset: 9 }]);
    expect(await positions.readState(roomId, 'alice')).toEqual({ readOffset: 9, unread: 0 });
    // A receipt may be stored before ingest has stored the message it names.
    await positions.advance([{ roomId, userId: 'alice', offset: 12 }]);
    expect(await positions.readState(roomId, 'alice')).toEqual({ readOffset: 12, unread: 0 });
    // Offset 0 read: everything after it is unread.
    await positions.advance([{ roomId, userId: 'dave', offset: 0 }]);
    expect(await positions.readState(roomId, 'dave')).toEqual({ readOffset: 0, unread: 9 });
    expect(await positions.readState(room(), 'alice')).toEqual({ readOffset: null, unread: 0 });
  });

  it('counts through the (room_id, kafka_offset) index, for a position and for none', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // Whether the planner prefers the index depends on table size; this proves the query can use it.
      await client.query('SET LOCAL enable_seqscan = off');
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${READ_STATE_SQL}`, [room(), 'alice']);
      const plan = JSON.stringify(rows[0]);
      expect(plan).toContain('"Index Name":"messages_room_offset_key"');
      // Both columns bound by the index: the count reads only the unread range, not the whole room.
      expect(plan).toMatch(/"Index Cond":"\(\(room_id = [^"]*\) AND \(kafka_offset > COALESCE\(p\.read_offset, '-1'::bigint\)\)\)"/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
