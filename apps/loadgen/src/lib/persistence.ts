import { Client } from 'pg';
import { PersistenceCheck } from './result';

export interface AckedMessage {
  messageId: string;
  roomId: string;
  offset: number;
}

/** Compares acked messages with rows found (messageId → offset): what is missing, what disagrees. */
export function comparePersisted(acked: readonly AckedMessage[], rows: ReadonlyMap<string, number>): Omit<PersistenceCheck, 'waitedMs'> {
  let missing = 0;
  let offsetMismatches = 0;
  const sampleMissing: string[] = [];
  for (const message of acked) {
    const offset = rows.get(message.messageId);
    if (offset === undefined) {
      missing++;
      if (sampleMissing.length < 5) sampleMissing.push(`${message.roomId}@${message.offset} ${message.messageId}`);
    } else if (offset !== message.offset) {
      offsetMismatches++;
    }
  }
  return { acked: acked.length, persisted: acked.length - missing, missing, offsetMismatches, sampleMissing };
}

/**
 * "Every acked message persisted": polls the persister's table for the run's rooms until every
 * acked messageId is there with its acked offset, or the time is up (the persister may lag).
 */
export async function verifyPersisted(databaseUrl: string, acked: readonly AckedMessage[], timeoutMs: number): Promise<PersistenceCheck> {
  const started = Date.now();
  const roomIds = [...new Set(acked.map((m) => m.roomId))];
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    for (;;) {
      const { rows } = await client.query<{ message_id: string; kafka_offset: string }>(
        'SELECT message_id, kafka_offset FROM messages WHERE room_id = ANY($1::text[])',
        [roomIds],
      );
      const found = new Map(rows.map((r) => [r.message_id, Number(r.kafka_offset)]));
      const check = comparePersisted(acked, found);
      if (check.missing === 0 || Date.now() - started >= timeoutMs) return { ...check, waitedMs: Date.now() - started };
      await new Promise((r) => setTimeout(r, 1000));
    }
  } catch (error) {
    return {
      acked: acked.length,
      persisted: 0,
      missing: acked.length,
      offsetMismatches: 0,
      waitedMs: Date.now() - started,
      sampleMissing: [],
      error: (error as Error).message,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}
