import type { Socket } from 'socket.io-client';
import { Ack, CHAT_NAMESPACE } from '@chat/contracts';

// Far above the ack ids socket.io-client hands out itself.
const FIRST_RAW_ID = 1_000_000;
const ACK_PACKET = new RegExp(`^3${CHAT_NAMESPACE},(\\d+)(.*)$`, 's');

/**
 * Writes Socket.IO packets as text straight onto the connection's Engine.IO transport (what a
 * hostile client can send and socket.io-client would refuse to encode), and matches the acks.
 */
export class RawChannel {
  private nextId = FIRST_RAW_ID;
  private readonly waiting = new Map<number, (ack: Ack<Record<string, unknown>>) => void>();

  constructor(private readonly socket: Socket) {
    socket.io.engine.on('message', (data) => {
      const [, id, args] = (typeof data === 'string' ? ACK_PACKET.exec(data) : null) ?? [];
      const resolve = id === undefined ? undefined : this.waiting.get(Number(id));
      if (args === undefined || !resolve) return;
      this.waiting.delete(Number(id));
      resolve((JSON.parse(args) as [Ack<Record<string, unknown>>])[0]);
    });
  }

  /** Sends `2/chat,<id><argsJson>`: argsJson is the event's JSON array text, `["event", ...]`. */
  event(argsJson: string, timeoutMs = 6000): Promise<Ack<Record<string, unknown>>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no ack within ${timeoutMs} ms for raw packet ${argsJson.slice(0, 80)}`));
      }, timeoutMs);
      this.waiting.set(id, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
      this.socket.io.engine.write(`2${CHAT_NAMESPACE},${id}${argsJson}`);
    });
  }

  /** Any frame, unanswered: a stray binary frame, a bare packet header. */
  frame(data: string | Buffer): void {
    this.socket.io.engine.write(data);
  }
}
