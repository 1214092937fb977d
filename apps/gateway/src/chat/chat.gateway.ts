import { Inject } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { Ack, CHAT_NAMESPACE, ClientEvent } from '@chat/contracts';
import { LOGGER, Logger } from '@chat/logging';
import { createTokenVerifier } from '../auth/create-verifier';
import { AuthenticatedUser } from '../auth/token-claims';
import { socketAuthMiddleware } from '../auth/socket-auth.middleware';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';
import { RoomEmitter } from '../fanout/room-emitter';
import { ConnectionEventInput, PresenceReporter } from '../presence/presence-reporter';
import { SignalsService } from '../signals/signals.service';
import { boundedParser } from '../limits/bounded-parser';
import { connectionCapMiddleware } from '../limits/connection-cap.middleware';
import { ConnectionRegistry } from '../limits/connection-registry';
import { EventRateLimiter } from '../limits/event-rate-limiter';
import { answer } from './ack';
import { ChatService } from './chat.service';
import { ChatSession } from './chat-session';
import { DrainState } from './drain-state';
import { GatewayMetrics } from '../metrics/gateway-metrics';

interface SocketData {
  user: AuthenticatedUser;
  limiter: EventRateLimiter;
  session: ChatSession;
}

// Socket.IO's own limit only guards memory (it drops the connection); protocol limits are
// checked per event so that an oversized payload gets PAYLOAD_TOO_LARGE and the client stays.
const TRANSPORT_MAX_BYTES = 1024 * 1024;
// A connection that vanishes without a close (a dead network) is noticed within 15 s rather than
// Socket.IO's default 45 s: presence depends on it.
const PING_INTERVAL_MS = 10_000;
const PING_TIMEOUT_MS = 5_000;

/** Thin Socket.IO adapter: authenticates, adapts sockets to sessions, answers acks. */
@WebSocketGateway({
  namespace: CHAT_NAMESPACE,
  maxHttpBufferSize: TRANSPORT_MAX_BYTES,
  // Refuses binary attachments and over-deep payloads with an error ack instead of a dropped connection.
  parser: boundedParser,
  pingInterval: PING_INTERVAL_MS,
  pingTimeout: PING_TIMEOUT_MS,
})
export class ChatGateway
  implements OnGatewayInit<Namespace>, OnGatewayConnection<Socket>, OnGatewayDisconnect<Socket>, RoomEmitter
{
  private namespace?: Namespace;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly chat: ChatService,
    private readonly signals: SignalsService,
    private readonly presence: PresenceReporter,
    private readonly drain: DrainState,
    private readonly connections: ConnectionRegistry,
    private readonly metrics: GatewayMetrics,
  ) {}

  afterInit(namespace: Namespace): void {
    this.namespace = namespace;
    this.presence.resyncFrom(() => this.connectedNow());
    const onVerifierError = (err: unknown) => this.logger.warn({ err }, 'token verification failed (key source unavailable)');
    namespace.use(socketAuthMiddleware(createTokenVerifier(this.config), () => this.drain.accepting, onVerifierError));
    namespace.use(connectionCapMiddleware(this.connections));
  }

  handleConnection(socket: Socket): void {
    this.metrics.connectedSockets.inc();
    const data = socket.data as SocketData;
    data.session = {
      connectionId: socket.id,
      user: data.user,
      limiter: data.limiter,
      isIn: (roomId) => socket.rooms.has(roomId),
      roomCount: () => socket.rooms.size - 1,
      join: (roomId) => void socket.join(roomId),
      leave: (roomId) => {
        void socket.leave(roomId);
        this.signals.leftRoom(socket.id, roomId);
      },
    };
    this.presence.report({ type: 'connection_opened', connectionId: socket.id, userId: data.user.id });
  }

  handleDisconnect(socket: Socket): void {
    const data = socket.data as Partial<SocketData>;
    if (!data.user) return; // refused at the handshake: never counted as connected
    this.metrics.connectedSockets.dec();
    this.connections.close(socket.id);
    this.signals.leftRoom(socket.id);
    this.presence.report({ type: 'connection_closed', connectionId: socket.id, userId: data.user.id });
  }

  @SubscribeMessage(ClientEvent.RoomJoin)
  join(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return this.answer(ClientEvent.RoomJoin, () => this.chat.join(this.session(socket), payload));
  }

  @SubscribeMessage(ClientEvent.RoomLeave)
  leave(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return this.answer(ClientEvent.RoomLeave, () => this.chat.leave(this.session(socket), payload));
  }

  @SubscribeMessage(ClientEvent.MessageSend)
  send(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    // A send still queued when its client has been told UNAVAILABLE is not produced at all.
    const deadline = Date.now() + this.ackBudgetMs();
    return this.answer(ClientEvent.MessageSend, () => this.chat.send(this.session(socket), payload, deadline));
  }

  @SubscribeMessage(ClientEvent.HistoryFetch)
  history(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return this.answer(ClientEvent.HistoryFetch, () => this.chat.fetchHistory(this.session(socket), payload));
  }

  @SubscribeMessage(ClientEvent.Typing)
  typing(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return this.answer(ClientEvent.Typing, () => this.signals.setTyping(this.session(socket), payload));
  }

  @SubscribeMessage(ClientEvent.ReceiptRead)
  receipt(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return this.answer(ClientEvent.ReceiptRead, () => this.signals.markRead(this.session(socket), payload));
  }

  emitToRooms(rooms: string | readonly string[], event: string, payload: unknown, exceptSocketId?: string): void {
    if (!this.namespace) return;
    const target = this.namespace.to(rooms as string | string[]);
    (exceptSocketId ? target.except(exceptSocketId) : target).emit(event, payload);
  }

  /** Whether a socket of this gateway is in the room: fan-out decodes nothing for the others. */
  hasLocalRoom(roomId: string): boolean {
    return this.namespace?.adapter.rooms.has(roomId) ?? false;
  }

  /** Asks every client to reconnect elsewhere; called once in-flight sends are answered. */
  disconnectAll(): void {
    this.namespace?.disconnectSockets(true);
  }

  private connectedNow(): ConnectionEventInput[] {
    const events: ConnectionEventInput[] = [];
    for (const socket of this.namespace?.sockets.values() ?? []) {
      const userId = (socket.data as SocketData).user.id;
      events.push({ type: 'connection_opened', connectionId: socket.id, userId });
      for (const roomId of socket.rooms) {
        if (roomId !== socket.id) events.push({ type: 'room_joined', connectionId: socket.id, userId, roomId });
      }
    }
    return events;
  }

  private session(socket: Socket): ChatSession {
    return (socket.data as SocketData).session;
  }

  private answer<T extends object>(event: ClientEvent, work: () => Promise<T>): Promise<Ack<T>> {
    const onUnexpected = (error: unknown) => this.logger.error({ err: error, event }, 'unexpected error in a client event');
    return answer(work, this.ackBudgetMs(), onUnexpected, this.metrics.ackObserver(event));
  }

  /** A little under the client's ack timeout, so the client hears UNAVAILABLE rather than nothing. */
  private ackBudgetMs(): number {
    return Math.max(100, this.config.ACK_TIMEOUT_MS - 250);
  }
}
