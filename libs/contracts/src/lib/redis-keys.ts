/**
 * Redis keys read by more than one service. Each key space has one writer:
 * chat:recent:{roomId} is written by message-persister and read by gateways;
 * presence:room:{roomId} is written by the presence service and read by gateways.
 * The analytics aggregates (analytics:*, written by analytics only) are AnalyticsKeys, in analytics-keys.ts.
 */
export const RedisKeys = {
  /** Sorted set of the room's last messages: score = offset, member = JSON of the Message. */
  recentHistory: (roomId: string) => `chat:recent:${roomId}`,
  /** Set of the user ids online (with at least one live connection) that joined the room. */
  presenceRoomOnline: (roomId: string) => `presence:room:${roomId}`,
} as const;
