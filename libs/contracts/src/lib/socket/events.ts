import { z } from 'zod';
import { RoomIdSchema } from '../ids';
import { BodySchema, ClientMsgIdSchema, Message, OffsetSchema } from '../message';
import { HistoryPage } from '../history-page';
import { ProtocolErrorBody } from '../errors';

/** Socket.IO namespace of protocol v1. */
export const CHAT_NAMESPACE = '/chat';
/** Largest Socket.IO packet the gateway accepts (protocol v1). */
export const MAX_PACKET_BYTES = 64 * 1024;
/**
 * Deepest nesting of objects and arrays a payload may have (`{ roomId }` is 1). No event needs
 * more than 1; the bound keeps recursive work on a hostile payload (JSON.stringify, binary
 * reconstruction) from overflowing the stack.
 */
export const MAX_PAYLOAD_DEPTH = 16;
export const MAX_JOIN_MESSAGES = 1000;
export const JOIN_LATEST_COUNT = 50;
export const HISTORY_DEFAULT_LIMIT = 50;
export const HISTORY_MAX_LIMIT = 100;

export const ClientEvent = {
  RoomJoin: 'room:join',
  RoomLeave: 'room:leave',
  MessageSend: 'message:send',
  HistoryFetch: 'history:fetch',
  Typing: 'typing',
  ReceiptRead: 'receipt:read',
} as const;
export type ClientEvent = (typeof ClientEvent)[keyof typeof ClientEvent];

export const ServerEvent = {
  MessageNew: 'message:new',
  PresenceUpdate: 'presence:update',
  Typing: 'typing',
  ReceiptRead: 'receipt:read',
} as const;
export type ServerEvent = (typeof ServerEvent)[keyof typeof ServerEvent];

/** A typing state with no update for this long is over. */
export const TYPING_EXPIRY_MS = 5000;

export const TypingSchema = z.strictObject({ roomId: RoomIdSchema, typing: z.boolean() });
export type TypingRequest = z.infer<typeof TypingSchema>;

export const ReceiptReadSchema = z.strictObject({ roomId: RoomIdSchema, offset: OffsetSchema });
export type ReceiptReadRequest = z.infer<typeof ReceiptReadSchema>;

export interface PresenceUpdate {
  userId: string;
  status: 'online' | 'offline';
  lastSeenAt: string;
}
export interface TypingUpdate {
  roomId: string;
  userId: string;
  typing: boolean;
}
export interface ReceiptUpdate {
  roomId: string;
  userId: string;
  offset: number;
}

export const RoomJoinSchema = z.strictObject({
  roomId: RoomIdSchema,
  sinceOffset: OffsetSchema.optional(),
});
export type RoomJoinRequest = z.infer<typeof RoomJoinSchema>;

export const RoomLeaveSchema = z.strictObject({ roomId: RoomIdSchema });
export type RoomLeaveRequest = z.infer<typeof RoomLeaveSchema>;

export const MessageSendSchema = z.strictObject({
  roomId: RoomIdSchema,
  clientMsgId: ClientMsgIdSchema,
  body: BodySchema,
});
export type MessageSendRequest = z.infer<typeof MessageSendSchema>;

export const HistoryFetchSchema = z.strictObject({
  roomId: RoomIdSchema,
  beforeOffset: OffsetSchema.optional(),
  limit: z.number().int().min(1).max(HISTORY_MAX_LIMIT).default(HISTORY_DEFAULT_LIMIT),
});
export type HistoryFetchRequest = z.infer<typeof HistoryFetchSchema>;

export interface RoomJoinResult {
  roomId: string;
  online: string[];
  messages: Message[];
  /** Additions to v1: the user's read position (null: nothing read) and the messages after it. */
  readOffset?: number | null;
  unread?: number;
}
export type RoomLeaveResult = Record<string, never>;
export interface MessageSendResult {
  message: Message;
}

export type AckOk<T> = { ok: true } & T;
export interface AckError {
  ok: false;
  error: ProtocolErrorBody;
}
export type Ack<T> = AckOk<T> | AckError;

/** What a client sends with each event: the schemas' input (history:fetch's limit may be left out). */
export interface ClientEventRequests {
  'room:join': z.input<typeof RoomJoinSchema>;
  'room:leave': z.input<typeof RoomLeaveSchema>;
  'message:send': z.input<typeof MessageSendSchema>;
  'history:fetch': z.input<typeof HistoryFetchSchema>;
  typing: z.input<typeof TypingSchema>;
  'receipt:read': z.input<typeof ReceiptReadSchema>;
}

/** What the ok-ack of each event carries besides `ok: true`. */
export interface ClientEventResults {
  'room:join': RoomJoinResult;
  'room:leave': RoomLeaveResult;
  'message:send': MessageSendResult;
  'history:fetch': HistoryPage;
  typing: Record<string, never>;
  'receipt:read': Record<string, never>;
}

/** What each server→client event carries. */
export interface ServerEventPayloads {
  'message:new': Message;
  'presence:update': PresenceUpdate;
  typing: TypingUpdate;
  'receipt:read': ReceiptUpdate;
}

/**
 * Client→server events with their request and ack (Socket.IO's ClientToServerEvents): typed
 * clients and the gateway's handlers are held to it. Keyed by ClientEvent, so a new event
 * cannot be left out of the map.
 */
export type ClientToServerEvents = {
  [E in ClientEvent]: (req: ClientEventRequests[E], ack: (res: Ack<ClientEventResults[E]>) => void) => void;
};

/** Server→client events with their payload (Socket.IO's ServerToClientEvents), keyed by ServerEvent. */
export type ServerToClientEvents = {
  [E in ServerEvent]: (payload: ServerEventPayloads[E]) => void;
};

/** Gateways never emit to each other through Socket.IO (they share state through Kafka and Redis). */
export type InterServerEvents = Record<never, never>;
