import { z } from 'zod';

export const USER_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
export const PUBLIC_ROOM_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const DIRECT_ROOM_PATTERN = /^dm:([A-Za-z0-9_.-]{1,64}):([A-Za-z0-9_.-]{1,64})$/;

export const UserIdSchema = z.string().regex(USER_ID_PATTERN, 'user id must be 1-64 chars of A-Za-z0-9_.-');

export type ParsedRoom =
  | { kind: 'public'; roomId: string }
  | { kind: 'direct'; roomId: string; members: readonly [string, string] };

/** Parses a room id; null when it is neither a public room nor a well-formed `dm:<a>:<b>` with a < b. */
export function parseRoomId(roomId: string): ParsedRoom | null {
  if (PUBLIC_ROOM_PATTERN.test(roomId)) return { kind: 'public', roomId };
  const [, first, second] = DIRECT_ROOM_PATTERN.exec(roomId) ?? [];
  if (first !== undefined && second !== undefined && first < second) return { kind: 'direct', roomId, members: [first, second] };
  return null;
}

export const RoomIdSchema = z
  .string()
  .max(200)
  .refine((id) => parseRoomId(id) !== null, 'room id must match ^[a-z0-9][a-z0-9_-]{0,63}$ or dm:<a>:<b> with a < b');

/** The protocol's access rule: anyone may join a public room, only its two members a DM. */
export function mayAccessRoom(userId: string, roomId: string): boolean {
  const room = parseRoomId(roomId);
  if (!room) return false;
  return room.kind === 'public' || room.members.includes(userId);
}

export function directRoomId(a: string, b: string): string {
  return a < b ? `dm:${a}:${b}` : `dm:${b}:${a}`;
}
