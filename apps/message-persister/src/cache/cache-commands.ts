import type { Message } from '@chat/contracts';
import { RedisKeys, RedisValues } from '@chat/contracts';

export type RedisCommand = [name: string, ...args: (string | number)[]];

/**
 * Per room: one ZADD of all its messages, then a trim to the newest `size` by rank (ranks
 * ascend with the score, so dropping ranks 0..-(size+1) keeps the `size` highest offsets).
 */
export function cacheCommands(messages: readonly Message[], size: number): RedisCommand[] {
  const byRoom = new Map<string, Message[]>();
  for (const message of messages) {
    const room = byRoom.get(message.roomId);
    if (room) room.push(message);
    else byRoom.set(message.roomId, [message]);
  }
  const commands: RedisCommand[] = [];
  for (const [roomId, roomMessages] of byRoom) {
    const key = RedisKeys.recentHistory(roomId);
    const members = roomMessages.flatMap((m) => [m.offset, RedisValues.recentMessage.encode(m)]);
    commands.push(['zadd', key, ...members], ['zremrangebyrank', key, 0, -(size + 1)]);
  }
  return commands;
}

/** ioredis reports per-command failures inside exec's result instead of rejecting. */
export function assertPipelineSucceeded(results: [Error | null, unknown][] | null, commands: readonly RedisCommand[]): void {
  if (results === null) throw new Error('Redis pipeline was not executed');
  const failures = results
    .map(([error], i) => (error ? `${commands[i][0]} ${commands[i][1]}: ${error.message}` : null))
    .filter((failure): failure is string => failure !== null);
  if (failures.length > 0) throw new Error(`Redis recent-history update failed: ${failures.join('; ')}`);
}
