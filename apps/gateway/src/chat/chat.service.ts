import {
  ErrorCode,
  HistoryFetchResult,
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
import { HistoryService } from '../history/history.service';
import { SendMessageService } from '../messaging/send-message.service';
import { assertMayAccess } from '../rooms/room-access';
import { parsePayload } from './ack';
import { ChatSession } from './chat-session';

/** The protocol v1 client events, independent of Socket.IO. */
export class ChatService {
  constructor(
    private readonly history: HistoryService,
    private readonly sender: SendMessageService,
  ) {}

  async join(session: ChatSession, payload: unknown): Promise<RoomJoinResult> {
    const { roomId, sinceOffset } = parsePayload(RoomJoinSchema, payload);
    assertMayAccess(session.user.id, roomId);
    // Join before reading history: whatever is fanned out from now on reaches the socket live,
    // whatever came before is in the history read below (clients dedupe by offset).
    const wasIn = session.isIn(roomId);
    session.join(roomId);
    try {
      const messages =
        sinceOffset === undefined
          ? (await this.history.page(roomId, JOIN_LATEST_COUNT)).messages
          : await this.history.after(roomId, sinceOffset, MAX_JOIN_MESSAGES);
      // Presence (online members) arrives with the presence service; until then nobody is listed.
      return { roomId, online: [], messages };
    } catch (error) {
      if (!wasIn) session.leave(roomId);
      throw error;
    }
  }

  async leave(session: ChatSession, payload: unknown): Promise<RoomLeaveResult> {
    const { roomId } = parsePayload(RoomLeaveSchema, payload);
    session.leave(roomId);
    return {};
  }

  async send(session: ChatSession, payload: unknown, deadline: number): Promise<MessageSendResult> {
    if (!session.sendBucket.tryTake()) {
      throw new ProtocolError(ErrorCode.RATE_LIMITED, 'too many messages; slow down');
    }
    const request = parsePayload(MessageSendSchema, payload);
    if (!session.isIn(request.roomId)) {
      throw new ProtocolError(ErrorCode.NOT_IN_ROOM, `join ${request.roomId} before sending to it`);
    }
    return { message: await this.sender.send(session.user.id, request, deadline) };
  }

  async fetchHistory(session: ChatSession, payload: unknown): Promise<HistoryFetchResult> {
    const { roomId, beforeOffset, limit } = parsePayload(HistoryFetchSchema, payload);
    assertMayAccess(session.user.id, roomId);
    return this.history.page(roomId, limit, beforeOffset);
  }
}
