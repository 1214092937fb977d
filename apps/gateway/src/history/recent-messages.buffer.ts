import { Message } from '@chat/contracts';

/**
 * The last messages this gateway fanned out, per room. A join reads it beside the persisted
 * history: a message consumed here before the socket joined, but not yet persisted, is in
 * neither the Redis cache nor PostgreSQL, and would otherwise be missed.
 */
export class RecentMessagesBuffer {
  private readonly rooms = new Map<string, Message[]>();
  private size = 0;

  /** Bounded in total (≤ maxMessages × 16 KB worst case), since it only has to cover persister lag. */
  constructor(
    private readonly perRoom = 100,
    private readonly maxMessages = 20_000,
  ) {}

  add(message: Message): void {
    let list = this.rooms.get(message.roomId);
    if (list) {
      // Re-inserting keeps the map in least-recently-written order for eviction.
      this.rooms.delete(message.roomId);
    } else {
      list = [];
    }
    this.rooms.set(message.roomId, list);
    list.push(message);
    this.size++;
    if (list.length > this.perRoom) {
      list.shift();
      this.size--;
    }
    while (this.size > this.maxMessages) this.evictOldestRoom();
  }

  private evictOldestRoom(): void {
    const [roomId, list] = this.rooms.entries().next().value as [string, Message[]];
    this.rooms.delete(roomId);
    this.size -= list.length;
  }

  /** Ascending by offset, as consumed (a room lives on one partition). */
  get(roomId: string): readonly Message[] {
    return this.rooms.get(roomId) ?? [];
  }
}
