/** Where consumed events go: the sockets of this gateway that joined the rooms. */
export interface RoomEmitter {
  /** Emits `event` once per socket in any of `rooms`, except the socket `exceptSocketId`. */
  emitToRooms(rooms: string | readonly string[], event: string, payload: unknown, exceptSocketId?: string): void;
}
