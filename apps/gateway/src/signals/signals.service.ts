import { ClientEvent, ErrorCode, ProtocolError, ReceiptReadSchema, TypingSchema } from '@chat/contracts';
import type { Logger } from '@chat/logging';
import { parsePayload } from '../chat/ack';
import { ChatSession } from '../chat/chat-session';
import { SignalPublisher } from './signal-publisher';
import { TypingTracker } from './typing-tracker';

/** typing and receipt:read: validated, for joined rooms only, through chat.signals.v1. */
export class SignalsService {
  private readonly typing: TypingTracker;
  private readonly users = new Map<string, string>();

  constructor(
    private readonly instanceId: string,
    private readonly publisher: SignalPublisher,
    private readonly logger: Logger,
    expiryMs?: number,
  ) {
    this.typing = new TypingTracker((connectionId, roomId) => this.stopTyping(connectionId, roomId), expiryMs);
  }

  async setTyping(session: ChatSession, payload: unknown): Promise<Record<string, never>> {
    session.limiter.admit(ClientEvent.Typing);
    const { roomId, typing } = parsePayload(TypingSchema, payload);
    this.assertJoined(session, roomId);
    this.users.set(session.connectionId, session.user.id);
    await this.publisher.publish({ type: 'typing', roomId, userId: session.user.id, typing, origin: this.origin(session.connectionId) });
    this.typing.update(session.connectionId, roomId, typing);
    return {};
  }

  async markRead(session: ChatSession, payload: unknown): Promise<Record<string, never>> {
    session.limiter.admit(ClientEvent.ReceiptRead);
    const { roomId, offset } = parsePayload(ReceiptReadSchema, payload);
    this.assertJoined(session, roomId);
    await this.publisher.publish({ type: 'receipt', roomId, userId: session.user.id, offset, origin: this.origin(session.connectionId) });
    return {};
  }

  /** A socket that leaves a room, or goes away, stops typing there for everyone. */
  leftRoom(connectionId: string, roomId?: string): void {
    for (const room of this.typing.clear(connectionId, roomId)) this.stopTyping(connectionId, room);
    if (roomId === undefined) this.users.delete(connectionId);
  }

  private stopTyping(connectionId: string, roomId: string): void {
    const userId = this.users.get(connectionId);
    if (!userId) return;
    this.publisher
      .publish({ type: 'typing', roomId, userId, typing: false, origin: this.origin(connectionId) })
      .catch((error: Error) => this.logger.warn({ err: error, roomId }, 'could not publish the end of a typing state'));
  }

  private assertJoined(session: ChatSession, roomId: string): void {
    if (!session.isIn(roomId)) throw new ProtocolError(ErrorCode.NOT_IN_ROOM, `join ${roomId} first`);
  }

  private origin(connectionId: string) {
    return { gatewayId: this.instanceId, connectionId };
  }
}
