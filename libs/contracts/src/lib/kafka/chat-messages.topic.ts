import { defineTopic } from './topic';
import { ChatMessageRecordSchema } from '../message';

const SEVEN_DAYS_MS = String(7 * 24 * 60 * 60 * 1000);

/**
 * The durable log of chat messages. Keyed by roomId so a room lives on one partition: the
 * partition's offsets are the room's strictly increasing resume cursor.
 */
export const ChatMessagesTopic = defineTopic({
  name: 'chat.messages.v1',
  schema: ChatMessageRecordSchema,
  key: (message) => message.roomId,
  partitions: 12,
  config: { 'retention.ms': SEVEN_DAYS_MS, 'cleanup.policy': 'delete' },
});
