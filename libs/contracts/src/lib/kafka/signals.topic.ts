import { z } from 'zod';
import { defineTopic } from './topic';
import { RoomIdSchema, UserIdSchema } from '../ids';
import { OffsetSchema } from '../message';
import { storableText } from '../storable-text';

const SHORT_MS = String(60 * 60 * 1000);

/** Where a signal came from, so its own socket is not told of it again. */
const OriginSchema = z.object({ gatewayId: storableText().min(1).max(128), connectionId: storableText().min(1).max(128) });

/** Ephemeral room signals: typing indicators and read receipts. */
export const ChatSignalSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('typing'), roomId: RoomIdSchema, userId: UserIdSchema, typing: z.boolean(), origin: OriginSchema }),
  z.object({ type: z.literal('receipt'), roomId: RoomIdSchema, userId: UserIdSchema, offset: OffsetSchema, origin: OriginSchema }),
]);
export type ChatSignal = z.infer<typeof ChatSignalSchema>;

export const ChatSignalsTopic = defineTopic({
  name: 'chat.signals.v1',
  schema: ChatSignalSchema,
  key: (signal) => signal.roomId,
  partitions: 6,
  config: { 'retention.ms': SHORT_MS },
});
