import type { Pool } from 'pg';
import { message, chatRecord } from '../testing/fixtures';
import { migratedPool, silentLogger, testConfig, uniqueRoom } from '../testing/infra';
import { toMessage } from '@chat/contracts';
import { isRowError } from '../ingest/batch-processor';
import { MessageRepository } from './message.repository';
import { runMigrations } from './migration-runner';
import { createPool } from './pg-pool';
import { MIGRATIONS } from './migrations';

describe('MessageRepository (PostgreSQL)', () => {
  let pool: Pool;
  let repository: MessageRepository;

  beforeAll(async () => {
    pool = await migratedPool();
    repository = new MessageRepository(pool);
  });

  afterAll(async () => {
    await pool.query(`DELETE FROM messages WHERE room_id LIKE 'it-repo-%'`);
    await pool.end();
  });

  it('runs migrations idempotently, also when instances start at once', async () => {
    const results = await Promise.all([1, 2, 3].map(() => runMigrations(pool, MIGRATIONS, silentLogger)));
    expect(results).toEqual([[], [], []]);
    const { rows } = await pool.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('migrates an empty schema exactly once when instances race', async () => {
    const schema = `it_migrations_${Date.now()}`;
    await pool.query(`CREATE SCHEMA ${schema}`);
    const url = new URL(testConfig().DATABASE_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const isolated = createPool(url.toString(), silentLogger);
    try {
      const results = await Promise.all([1, 2, 3].map(() => runMigrations(isolated, MIGRATIONS, silentLogger)));
      expect(results.filter((applied) => applied.length > 0)).toEqual([MIGRATIONS.map((m) => m.version)]);
      const { rows } = await isolated.query(`SELECT count(*)::int AS n FROM ${schema}.messages`);
      expect(rows[0].n).toBe(0);
    } finally {
      await isolated.end();
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    }
  });

  it('stores a batch and returns the rows exactly as given', async () => {
    const roomId = uniqueRoom('repo');
    const batch = [message(0, { roomId }), message(1, { roomId, senderId: 'bob' })];
    const result = await repository.insertBatch(batch);
    expect(result).toEqual({ inserted: 2, stored: batch });
  });

  it('is idempotent on messageId: a redelivery returns the stored row, even at another offset', async () => {
    const roomId = uniqueRoom('repo');
    const original = message(5, { roomId });
    await repository.insertBatch([original]);
    const redelivered = toMessage({ ...original }, 9);
    expect(await repository.insertBatch([original, redelivered])).toEqual({ inserted: 0, stored: [original] });
  });

  it('dedupes on (room, sender, clientMsgId): the retried send with another messageId is not returned', async () => {
    const roomId = uniqueRoom('repo');
    const first = message(1, { roomId, clientMsgId: 'same' });
    const retry = message(2, { roomId, clientMsgId: 'same' });
    const otherSender = message(3, { roomId, clientMsgId: 'same', senderId: 'bob' });
    const result = await repository.insertBatch([first, retry, otherSender]);
    expect(result).toEqual({ inserted: 2, stored: [first, otherSender] });
    expect(await repository.insertBatch([retry])).toEqual({ inserted: 0, stored: [] });
  });

  it('keeps the first of two duplicates within one batch', async () => {
    const roomId = uniqueRoom('repo');
    const a = message(1, { roomId, messageId: `dup-${roomId}` });
    const b = toMessage({ ...chatRecord({ roomId }), messageId: a.messageId }, 2);
    expect(await repository.insertBatch([a, b])).toEqual({ inserted: 1, stored: [a] });
  });

  it('serves history slices ascending by offset with hasMore', async () => {
    const roomId = uniqueRoom('repo');
    const all = [10, 11, 12, 13, 14, 15].map((offset) => message(offset, { roomId }));
    await repository.insertBatch([...all].reverse());
    await repository.insertBatch([message(12, { roomId: uniqueRoom('repo') })]);
    const offsets = (page: { messages: { offset: number }[]; hasMore: boolean }) => [page.messages.map((m) => m.offset), page.hasMore];

    expect(offsets(await repository.latest(roomId, 3))).toEqual([[13, 14, 15], true]);
    expect(offsets(await repository.latest(roomId, 6))).toEqual([[10, 11, 12, 13, 14, 15], false]);
    expect(offsets(await repository.before(roomId, 13, 2))).toEqual([[11, 12], true]);
    expect(offsets(await repository.before(roomId, 12, 5))).toEqual([[10, 11], false]);
    expect(offsets(await repository.after(roomId, 11, 2))).toEqual([[12, 13], true]);
    expect(offsets(await repository.after(roomId, 13, 5))).toEqual([[14, 15], false]);
    expect(offsets(await repository.after(roomId, 15, 5))).toEqual([[], false]);
    expect((await repository.latest(roomId, 6)).messages).toEqual(all);
    expect(await repository.latest(uniqueRoom('repo'), 5)).toEqual({ messages: [], hasMore: false });
  });

  it('handles a batch far beyond the bind-parameter limit in one statement', async () => {
    const roomId = uniqueRoom('repo');
    const batch = Array.from({ length: 10_000 }, (_, i) => message(i, { roomId, clientMsgId: `bulk-${i}` }));
    const result = await repository.insertBatch(batch);
    expect(result.inserted).toBe(10_000);
    expect(result.stored.map((m) => m.offset)).toEqual(batch.map((m) => m.offset));
  });

  it('raises a row error (not an outage) for a value PostgreSQL cannot store', async () => {
    const bad = message(1, { roomId: uniqueRoom('repo'), sentAt: '0000-01-01T00:00:00Z' });
    const error = await repository.insertBatch([bad]).catch((e: unknown) => e);
    expect(isRowError(error)).toBe(true);
  });
});
