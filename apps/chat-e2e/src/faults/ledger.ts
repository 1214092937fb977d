import type { Pool } from 'pg';
import { sleep } from '../support/client';
import type { AckedSend, FaultClient } from './fault-client';

/** One line of the fault table: the promise, counted from outside. */
export interface FaultRow {
  fault: string;
  acked: number;
  /** Acked, but no row in PostgreSQL for its (room, sender, clientMsgId). */
  ackedNotStored: number;
  /** Acked with one messageId, stored with another (a second publish kept out by the unique key). */
  storedAsOther: number;
  /** Per member: acked messages of its room it never got, live or through a resume. */
  missingDeliveries: number;
  membersMissingAny: number;
  /** The same send reaching a member under two messageIds (what dedupe by messageId cannot hide). */
  duplicatesAfterDedupe: number;
  refusals: Record<string, number>;
  /** Socket drops seen by the clients after the fault, by Socket.IO reason. */
  socketDrops: Record<string, number>;
  neverAcked: number;
  sendsOkAgainAfterS: number;
  allReadyAfterS: number;
  manualRestarts: number;
}

const sendKey = (senderId: string, clientMsgId: string) => JSON.stringify([senderId, clientMsgId]);

/** Waits until PostgreSQL holds every acked send (or the time is up), then compares. */
export async function storedComparison(pool: Pool, acked: readonly AckedSend[], timeoutMs = 60_000) {
  const rooms = [...new Set(acked.map((a) => a.roomId))];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ room_id: string; sender_id: string; client_msg_id: string; message_id: string }>(
      'SELECT room_id, sender_id, client_msg_id, message_id FROM messages WHERE room_id = ANY($1)',
      [rooms],
    );
    const stored = new Map(rows.map((r) => [JSON.stringify([r.room_id, r.sender_id, r.client_msg_id]), r.message_id]));
    const missing = acked.filter((a) => !stored.has(JSON.stringify([a.roomId, a.senderId, a.clientMsgId])));
    if (missing.length === 0 || Date.now() > deadline) {
      const storedAsOther = acked.filter((a) => {
        const id = stored.get(JSON.stringify([a.roomId, a.senderId, a.clientMsgId]));
        return id !== undefined && id !== a.messageId;
      }).length;
      return { ackedNotStored: missing.length, storedAsOther };
    }
    await sleep(500);
  }
}

/** Deliveries as the members have them, once their clients dedupe by messageId. */
export function deliveryComparison(clients: readonly FaultClient[]) {
  const ackedByRoom = new Map<string, AckedSend[]>();
  for (const client of clients) for (const a of client.acked) ackedByRoom.set(a.roomId, [...(ackedByRoom.get(a.roomId) ?? []), a]);
  let missingDeliveries = 0;
  let membersMissingAny = 0;
  let duplicatesAfterDedupe = 0;
  for (const client of clients) {
    const got = new Map<string, Set<string>>();
    for (const m of client.received.values()) {
      const key = sendKey(m.senderId, m.clientMsgId);
      got.set(key, (got.get(key) ?? new Set()).add(m.messageId));
    }
    const own = new Set(client.acked.map((a) => sendKey(a.senderId, a.clientMsgId)));
    const missing = (ackedByRoom.get(client.roomId) ?? []).filter((a) => {
      const key = sendKey(a.senderId, a.clientMsgId);
      return !got.has(key) && !own.has(key);
    }).length;
    missingDeliveries += missing;
    if (missing > 0) membersMissingAny++;
    for (const ids of got.values()) duplicatesAfterDedupe += ids.size - 1;
  }
  return { missingDeliveries, membersMissingAny, duplicatesAfterDedupe };
}

/** Waits until no member misses anything (or the time is up): deliveries in flight land. */
export async function settleDeliveries(clients: readonly FaultClient[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let result = deliveryComparison(clients);
  while (result.missingDeliveries > 0 && Date.now() < deadline) {
    await sleep(250);
    result = deliveryComparison(clients);
  }
  return result;
}

/** Seconds from the fault until the last refused send attempt was followed by an acked one. */
export function sendsOkAgainAfterS(clients: readonly FaultClient[], faultAt: number): number {
  const attempts = clients.flatMap((c) => c.attempts).filter((a) => a.at >= faultAt);
  const lastRefusal = Math.max(faultAt, ...attempts.filter((a) => !a.ok).map((a) => a.at));
  const okAfter = attempts.filter((a) => a.ok && a.at >= lastRefusal).map((a) => a.at);
  if (lastRefusal === faultAt) return 0;
  return okAfter.length === 0 ? Number.POSITIVE_INFINITY : (Math.min(...okAfter) - faultAt) / 1000;
}

export function dropsByReason(clients: readonly FaultClient[], since: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of clients.flatMap((c) => c.drops)) if (d.at >= since) counts[d.reason] = (counts[d.reason] ?? 0) + 1;
  return counts;
}

export function refusalsByCode(clients: readonly FaultClient[], since: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of clients.flatMap((c) => c.attempts)) if (!a.ok && a.at >= since && a.code) counts[a.code] = (counts[a.code] ?? 0) + 1;
  return counts;
}
