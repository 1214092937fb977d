import { ChatMessagesTopic, decodeRecord, Message, toMessage } from '@chat/contracts';

/** A record of a room nobody here had joined: decoded only if someone joins while it is kept. */
interface EncodedMessage {
  readonly offset: number;
  readonly value: Buffer;
}

type Entry = { readonly message: Message } | EncodedMessage;

/**
 * The last messages this gateway fanned out, per room. A join reads it beside the persisted
 * history: a message consumed here before the socket joined, but not yet persisted, is in
 * neither the Redis cache nor PostgreSQL, and would otherwise be missed.
 *
 * Most rooms have no socket on a given gateway, so their records are kept as the bytes Kafka
 * delivered and decoded (validated) on the first read: a gateway pays for parsing only the
 * rooms its sockets are in.
 */
export class RecentMessagesBuffer {
  private readonly rooms = new Map<string, Entry[]>();
  private size = 0;

  /** Bounded in total (≤ maxMessages × 16 KB worst case), since it only has to cover persister lag. */
  constructor(
    private readonly perRoom = 100,
    private readonly maxMessages = 20_000,
  ) {}

  add(message: Message): void {
    this.push(message.roomId, { message });
  }

  /**
   * A chat.messages.v1 record value, decoded when the room is first read. Copied: kafkajs hands
   * out slices of the whole fetch response, which keeping one would keep alive.
   */
  addEncoded(roomId: string, offset: number, value: Buffer): void {
    this.push(roomId, { offset, value: Buffer.from(value) });
  }

  /** Ascending by offset, as consumed (a room lives on one partition); invalid records left out. */
  get(roomId: string): readonly Message[] {
    const list = this.rooms.get(roomId);
    if (!list) return [];
    const messages: Message[] = [];
    const kept: Entry[] = [];
    for (const entry of list) {
      if ('message' in entry) {
        messages.push(entry.message);
        kept.push(entry);
        continue;
      }
      const decoded = decodeRecord(ChatMessagesTopic, entry.value);
      // An invalid record is the persister's to dead-letter; here it is only dropped, once.
      if (!decoded.ok || decoded.value.roomId !== roomId) continue;
      const message = toMessage(decoded.value, entry.offset);
      kept.push({ message });
      messages.push(message);
    }
    this.size -= list.length - kept.length;
    // In place: the map's order (least recently written first) is the eviction order.
    list.splice(0, list.length, ...kept);
    return messages;
  }

  private push(roomId: string, entry: Entry): void {
    let list = this.rooms.get(roomId);
    if (list) {
      // Re-inserting keeps the map in least-recently-written order for eviction.
      this.rooms.delete(roomId);
    } else {
      list = [];
    }
    this.rooms.set(roomId, list);
    list.push(entry);
    this.size++;
    if (list.length > this.perRoom) {
      list.shift();
      this.size--;
    }
    while (this.size > this.maxMessages) this.evictOldestRoom();
  }

  private evictOldestRoom(): void {
    const [roomId, list] = this.rooms.entries().next().value as [string, Entry[]];
    this.rooms.delete(roomId);
    this.size -= list.length;
  }
}
