/**
 * Redis keys read by more than one service. Each key space has one writer:
 * chat:recent:{roomId} is written by message-persister and read by gateways.
 */
export const RedisKeys = {
  /** Sorted set of the room's last messages: score = offset, member = JSON of the Message. */
  recentHistory: (roomId: string) => `chat:recent:${roomId}`,
} as const;
