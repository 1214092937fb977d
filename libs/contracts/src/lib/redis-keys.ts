import { MessageSchema, toMessage } from './message';
import { jsonCodec } from './redis-codec';

/**
 * Redis keys read by more than one service. Each key space has one writer:
 * chat:recent:{roomId} is written by message-persister and read by gateways;
 * presence:room:{roomId} is written by the presence service and read by gateways.
 * The analytics aggregates (analytics:*, written by analytics only) are AnalyticsKeys, in analytics-keys.ts.
 */
export const RedisKeys = {
  /** Sorted set of the room's last messages: score = offset, member = RedisValues.recentMessage. */
  recentHistory: (roomId: string) => `chat:recent:${roomId}`,
  /** Set of the user ids online (with at least one live connection) that joined the room. */
  presenceRoomOnline: (roomId: string) => `presence:room:${roomId}`,
} as const;

/** The values stored under RedisKeys (a set of user ids needs none: its members are plain ids). */
export const RedisValues = {
  /**
   * A member of RedisKeys.recentHistory: the JSON of a Message, in toMessage's key order. The
   * member is the message's identity in the sorted set, so the same message written twice (a
   * redelivered batch) must give the same string.
   */
  recentMessage: jsonCodec(MessageSchema, (message) => toMessage(message, message.offset)),
} as const;
