import { z } from 'zod';
import { defineTopic } from './topic';
import { RoomIdSchema, UserIdSchema } from '../ids';
import { OffsetSchema } from '../message';
import { HistoryPageSchema } from '../history-page';
import { MAX_JOIN_MESSAGES } from '../socket/events';

const ONE_HOUR_MS = String(60 * 60 * 1000);
const Limit = z.number().int().min(1).max(MAX_JOIN_MESSAGES);

/** Which slice of a room's history a gateway asks the persister for. */
export const HistoryRequestSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('latest'), roomId: RoomIdSchema, limit: Limit }),
  z.object({ mode: z.literal('before'), roomId: RoomIdSchema, beforeOffset: OffsetSchema, limit: Limit }),
  z.object({ mode: z.literal('after'), roomId: RoomIdSchema, afterOffset: OffsetSchema, limit: Limit }),
  /** A reader's position in the room, for room:join's readOffset and unread. */
  z.object({ mode: z.literal('read-state'), roomId: RoomIdSchema, userId: UserIdSchema }),
]);
export type HistoryRequest = z.infer<typeof HistoryRequestSchema>;

/** The answer to latest/before/after: a HistoryPage. */
export const HistoryPageReplySchema = HistoryPageSchema.extend({ ok: z.literal(true) });

/** readOffset null: the user has read nothing in the room; unread counts the messages after it. */
export const ReadStateReplySchema = z.object({
  ok: z.literal(true),
  readOffset: OffsetSchema.nullable(),
  unread: z.number().int().nonnegative(),
});
export type ReadStateReply = z.infer<typeof ReadStateReplySchema>;

/** A page for latest/before/after, a read state for read-state, or the reason there is none. */
export const HistoryReplySchema = z.union([
  HistoryPageReplySchema,
  ReadStateReplySchema,
  // retryable: the persister could not answer now (its store is down); otherwise the request was bad.
  z.object({ ok: z.literal(false), error: z.string(), retryable: z.boolean() }),
]);
export type HistoryReply = z.infer<typeof HistoryReplySchema>;

/**
 * Request/reply over Kafka (in the @nestjs/microservices header convention, ADR 0006): the
 * request carries the headers below, the persister answers on the reply topic with the same
 * correlation id.
 */
export const HistoryRequestsTopic = defineTopic({
  name: 'history.requests.v1',
  schema: HistoryRequestSchema,
  key: (request) => request.roomId,
  partitions: 6,
  config: { 'retention.ms': ONE_HOUR_MS },
});

export const HistoryRepliesTopic = defineTopic({
  name: 'history.replies.v1',
  schema: HistoryReplySchema,
  key: () => null,
  partitions: 6,
  // A join may carry up to 1000 messages of 4000 characters each.
  config: { 'retention.ms': ONE_HOUR_MS, 'max.message.bytes': String(20 * 1024 * 1024) },
});

/** Header names of the request/reply convention (the same as @nestjs/microservices' KafkaHeaders). */
export const ReplyHeaders = {
  CorrelationId: 'kafka_correlationId',
  ReplyTopic: 'kafka_replyTopic',
  /** Optional: the partition of the reply topic to answer on. */
  ReplyPartition: 'kafka_replyPartition',
  Error: 'kafka_nest-err',
} as const;
