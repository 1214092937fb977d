import type { INestApplication } from '@nestjs/common';
import type { Pool } from 'pg';
import { REDIS, Redis } from '@chat/redis';
import { PG_POOL } from '../storage/pg-pool';
import { RedisKeys } from '@chat/contracts';

/** Removes a test's rooms from PostgreSQL and Redis (its Kafka records expire with retention). */
export async function removeRooms(app: INestApplication, roomIds: readonly string[]): Promise<void> {
  if (roomIds.length === 0) return;
  const pool = app.get<Pool>(PG_POOL);
  await pool.query('DELETE FROM messages WHERE room_id = ANY($1::text[])', [roomIds]);
  await pool.query('DELETE FROM read_positions WHERE room_id = ANY($1::text[])', [roomIds]);
  await app.get<Redis>(REDIS).del(...roomIds.map((room) => RedisKeys.recentHistory(room)));
}
