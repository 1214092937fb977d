import type { ServerEvent, ServerEventPayloads } from '@chat/contracts';

/** Where consumed events go: the sockets of this gateway that joined the rooms. */
export interface RoomEmitter {
  /** Emits `event` once per socket in any of `rooms`, except the socket `exceptSocketId`. */
  emitToRooms<E extends ServerEvent>(rooms: string | string[], event: E, payload: ServerEventPayloads[E], exceptSocketId?: string): void;
}
