import { z } from 'zod';
import { RoomIdSchema } from '../ids';
import { BodySchema, ClientMsgIdSchema, Message, OffsetSchema } from '../message';
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
export interface HistoryFetchResult {
  messages: Message[];
  hasMore: boolean;
}

export type AckOk<T> = { ok: true } & T;
export interface AckError {
  ok: false;
  error: ProtocolErrorBody;
}
export type Ack<T> = AckOk<T> | AckError;

/** Client→server events with their request and ok-ack shapes: what a typed client needs. */
export interface ClientToServerEvents {
  'room:join': (req: RoomJoinRequest, ack: (res: Ack<RoomJoinResult>) => void) => void;
  'room:leave': (req: RoomLeaveRequest, ack: (res: Ack<RoomLeaveResult>) => void) => void;
  'message:send': (req: MessageSendRequest, ack: (res: Ack<MessageSendResult>) => void) => void;
  'history:fetch': (
    req: { roomId: string; beforeOffset?: number; limit?: number },
    ack: (res: Ack<HistoryFetchResult>) => void,
  ) => void;
  typing: (req: TypingRequest, ack: (res: Ack<Record<string, never>>) => void) => void;
  'receipt:read': (req: ReceiptReadRequest, ack: (res: Ack<Record<string, never>>) => void) => void;
}

export interface ServerToClientEvents {
  'message:new': (message: Message) => void;
  'presence:update': (update: PresenceUpdate) => void;
  typing: (update: TypingUpdate) => void;
  'receipt:read': (update: ReceiptUpdate) => void;
}
