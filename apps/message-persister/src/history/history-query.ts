import {
  HistoryPage,
  HistoryPageReplySchema,
  HistoryReply,
  HistoryRequest,
  HistoryRequestsTopic,
  ReadStateReplySchema,
  decodeRecord,
} from '@chat/contracts';
import type { ReadState } from '../storage/read-position.repository';

export interface HistoryPageStore {
  latest(roomId: string, limit: number): Promise<HistoryPage>;
  before(roomId: string, offset: number, limit: number): Promise<HistoryPage>;
  after(roomId: string, offset: number, limit: number): Promise<HistoryPage>;
}

export interface ReadStateStore {
  readState(roomId: string, userId: string): Promise<ReadState>;
}

/** Where each mode is answered from: pages from the messages, read-state from the read positions. */
export interface HistoryStores {
  messages: HistoryPageStore;
  readPositions: ReadStateStore;
}

export type ParsedRequest = { ok: true; request: HistoryRequest } | { ok: false; error: string };

/** The request in a record's value, validated against its contract, or why it is none. */
export function parseHistoryRequest(value: Buffer | string | null): ParsedRequest {
  const decoded = decodeRecord(HistoryRequestsTopic, value);
  return decoded.ok ? { ok: true, request: decoded.value } : { ok: false, error: `invalid history request: ${decoded.error}` };
}

/** Answers a valid request; throws when its store is unavailable. */
export async function queryHistory(stores: HistoryStores, request: HistoryRequest): Promise<HistoryReply> {
  switch (request.mode) {
    case 'latest':
      return pageReply(await stores.messages.latest(request.roomId, request.limit));
    case 'before':
      return pageReply(await stores.messages.before(request.roomId, request.beforeOffset, request.limit));
    case 'after':
      return pageReply(await stores.messages.after(request.roomId, request.afterOffset, request.limit));
    case 'read-state':
      return readStateReply(await stores.readPositions.readState(request.roomId, request.userId));
  }
}

/** Never sends a reply that breaks the contract: the gateway would reject it anyway, later and vaguer. */
export function pageReply(page: HistoryPage): HistoryReply {
  const checked = HistoryPageReplySchema.safeParse({ ok: true, messages: page.messages, hasMore: page.hasMore });
  return checked.success ? checked.data : { ok: false, error: 'stored history does not satisfy the contract', retryable: false };
}

export function readStateReply(state: ReadState): HistoryReply {
  const checked = ReadStateReplySchema.safeParse({ ok: true, readOffset: state.readOffset, unread: state.unread });
  return checked.success ? checked.data : { ok: false, error: 'stored read state does not satisfy the contract', retryable: false };
}
