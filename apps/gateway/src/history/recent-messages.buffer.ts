import { Message } from '@chat/contracts';

/**
 * The last messages this gateway fanned out, per room. A join reads it beside the persisted
 * history: a message consumed here before the socket joined, but not yet persisted, is in
 * neither the Redis cache nor PostgreSQL, and would otherwise be missed.
 */
export class RecentMessagesBuffer {
  private readonly rooms = new Map<string, Message[]>();

  constructor(
    private readonly perRoom = 200,
    private readonly maxRooms = 10_000,
  ) {}

  add(message: Message): void {
    let list = this.rooms.get(message.roomId);
    if (!list) {
      if (this.rooms.size >= this.maxRooms) this.rooms.delete(this.rooms.keys().next().value as string);
      list = [];
      this.rooms.set(message.roomId, list);
    }
    list.push(message);
    if (list.length > this.perRoom) list.splice(0, list.length - this.perRoom);
  }

  /** Ascending by offset, as consumed (a room lives on one partition). */
  get(roomId: string): readonly Message[] {
    return this.rooms.get(roomId) ?? [];
  }
}
