import {
  ClientEvent,
  ErrorCode,
  HistoryPage,
  HistoryFetchSchema,
  JOIN_LATEST_COUNT,
  MAX_JOIN_MESSAGES,
  MessageSendResult,
  MessageSendSchema,
  ProtocolError,
  RoomJoinResult,
  RoomJoinSchema,
  RoomLeaveResult,
  RoomLeaveSchema,
} from '@chat/contracts';
import type { Logger } from '@chat/logging';
import { HistoryService } from '../history/history.service';
import { OnlineMembersReader } from '../presence/online-members.reader';
import { PresenceReporter } from '../presence/presence-reporter';
import { SendMessageService } from '../messaging/send-message.service';
import { assertMayAccess } from '../rooms/room-access';
import { parsePayload } from './ack';
import { ChatSession } from './chat-session';

/** The protocol v1 client events, independent of Socket.IO. */
export class ChatService {
  constructor(
    private readonly history: HistoryService,
    private readonly sender: SendMessageService,
    private readonly presence: PresenceReporter,
    private readonly onlineMembers: OnlineMembersReader,
    private readonly logger: Logger,
    private readonly maxRoomsPerConnection: number,
  ) {}

  async join(session: ChatSession, payload: unknown): Promise<RoomJoinResult> {
    session.limiter.admit(ClientEvent.RoomJoin);
    const { roomId, sinceOffset } = parsePayload(RoomJoinSchema, payload);
    assertMayAccess(session.user.id, roomId);
    if (!session.isIn(roomId) && session.roomCount() >= this.maxRoomsPerConnection) {
      throw new ProtocolError(ErrorCode.TOO_MANY_ROOMS, `a connection may be in at most ${this.maxRoomsPerConnection} rooms; leave one first`);
    }
    // Join before reading history: whatever is fanned out from now on reaches the socket live,
    // whatever came before is in the history read below (clients dedupe by offset).
    const wasIn = session.isIn(roomId);
    session.join(roomId);
    try {
      const [messages, online, readState] = await Promise.all([
        sinceOffset === undefined
          ? this.history.page(roomId, JOIN_LATEST_COUNT).then((page) => page.messages)
          : this.history.after(roomId, sinceOffset, MAX_JOIN_MESSAGES),
        this.onlineMembers.online(roomId),
        this.readState(roomId, session.user.id),
      ]);
      if (!wasIn) this.presence.report({ type: 'room_joined', connectionId: session.connectionId, userId: session.user.id, roomId });
      // The joiner is online by definition, even before the presence service has heard of them.
      if (!online.includes(session.user.id)) online.push(session.user.id);
      return { roomId, online, messages, ...readState };
    } catch (error) {
      if (!wasIn) session.leave(roomId);
      throw error;
    }
  }

  /** Read position and unread count are additions to the join answer: without them it still stands. */
  private async readState(roomId: string, userId: string): Promise<{ readOffset?: number | null; unread?: number }> {
    try {
      return await this.history.readState(roomId, userId);
    } catch (error) {
      this.logger.warn({ err: error, roomId }, 'read state unavailable for a join');
      return {};
    }
  }

  async leave(session: ChatSession, payload: unknown): Promise<RoomLeaveResult> {
    session.limiter.admit(ClientEvent.RoomLeave);
    const { roomId } = parsePayload(RoomLeaveSchema, payload);
    if (session.isIn(roomId)) {
      session.leave(roomId);
      this.presence.report({ type: 'room_left', connectionId: session.connectionId, userId: session.user.id, roomId });
    }
    return {};
  }

  async send(session: ChatSession, payload: unknown, deadline: number): Promise<MessageSendResult> {
    session.limiter.admit(ClientEvent.MessageSend);
    const request = parsePayload(MessageSendSchema, payload);
    if (!session.isIn(request.roomId)) {
      throw new ProtocolError(ErrorCode.NOT_IN_ROOM, `join ${request.roomId} before sending to it`);
    }
    return { message: await this.sender.send(session.user.id, request, deadline) };
  }

  async fetchHistory(session: ChatSession, payload: unknown): Promise<HistoryPage> {
    session.limiter.admit(ClientEvent.HistoryFetch);
    const { roomId, beforeOffset, limit } = parsePayload(HistoryFetchSchema, payload);
    assertMayAccess(session.user.id, roomId);
    return this.history.page(roomId, limit, beforeOffset);
  }
}
