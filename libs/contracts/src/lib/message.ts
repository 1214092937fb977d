import { z } from 'zod';
import { RoomIdSchema, UserIdSchema } from './ids';
import { storableText } from './storable-text';

export const MAX_BODY_LENGTH = 4000;

export const ClientMsgIdSchema = storableText().min(1).max(128);
/** Its length is JavaScript's: UTF-16 code units, so an astral character counts as 2. */
export const BodySchema = storableText().min(1).max(MAX_BODY_LENGTH);
/** A Kafka offset: a non-negative integer (JSON numbers are exact up to 2^53). */
export const OffsetSchema = z.number().int().nonnegative();

/** What the gateway publishes to chat.messages.v1; Kafka assigns the offset. */
export const ChatMessageRecordSchema = z.object({
  messageId: storableText().min(1).max(64),
  roomId: RoomIdSchema,
  senderId: UserIdSchema,
  body: BodySchema,
  clientMsgId: ClientMsgIdSchema,
  // Millisecond precision: what PostgreSQL's timestamptz gives back, so stored copies compare equal.
  sentAt: z.iso.datetime({ precision: 3 }),
});
export type ChatMessageRecord = z.infer<typeof ChatMessageRecordSchema>;

/** The Message of protocol v1, as every event and ack carries it. */
export const MessageSchema = ChatMessageRecordSchema.extend({ offset: OffsetSchema });
export type Message = z.infer<typeof MessageSchema>;

/** Builds a Message with a fixed key order, so that equal messages serialize to equal strings. */
export function toMessage(record: ChatMessageRecord, offset: number): Message {
  return {
    messageId: record.messageId,
    roomId: record.roomId,
    senderId: record.senderId,
    body: record.body,
    clientMsgId: record.clientMsgId,
    offset,
    sentAt: record.sentAt,
  };
}
