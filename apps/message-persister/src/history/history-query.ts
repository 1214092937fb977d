import { z } from 'zod';
import { HistoryReply, HistoryReplySchema, HistoryRequest, HistoryRequestSchema, HistoryRequestsTopic, decodeRecord } from '@chat/contracts';
import type { HistoryPage } from '../storage/history-page';

export interface HistoryStore {
  latest(roomId: string, limit: number): Promise<HistoryPage>;
  before(roomId: string, offset: number, limit: number): Promise<HistoryPage>;
  after(roomId: string, offset: number, limit: number): Promise<HistoryPage>;
}

export type ParsedRequest = { ok: true; request: HistoryRequest } | { ok: false; error: string };

/**
 * Nest's Kafka parser hands over an object when the value is JSON starting with `{`, else the
 * raw string (or a Buffer for a leading zero byte): validate whichever arrived.
 */
export function parseHistoryRequest(data: unknown): ParsedRequest {
  if (typeof data === 'string' || Buffer.isBuffer(data) || data === null || data === undefined) {
    const decoded = decodeRecord(HistoryRequestsTopic, typeof data === 'string' || Buffer.isBuffer(data) ? data : null);
    return decoded.ok ? { ok: true, request: decoded.value } : { ok: false, error: `invalid history request: ${decoded.error}` };
  }
  const parsed = HistoryRequestSchema.safeParse(data);
  return parsed.success
    ? { ok: true, request: parsed.data }
    : { ok: false, error: `invalid history request: ${z.prettifyError(parsed.error)}` };
}

export function queryHistory(store: HistoryStore, request: HistoryRequest): Promise<HistoryPage> {
  switch (request.mode) {
    case 'latest':
      return store.latest(request.roomId, request.limit);
    case 'before':
      return store.before(request.roomId, request.beforeOffset, request.limit);
    case 'after':
      return store.after(request.roomId, request.afterOffset, request.limit);
  }
}

/** Never sends a reply that breaks the contract: the gateway would reject it anyway, later and vaguer. */
export function okReply(page: HistoryPage): HistoryReply {
  const checked = HistoryReplySchema.safeParse({ ok: true, messages: page.messages, hasMore: page.hasMore });
  return checked.success ? checked.data : { ok: false, error: 'stored history does not satisfy the contract', retryable: false };
}
