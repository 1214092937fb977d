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
import { Ack, CHAT_NAMESPACE, ClientEvent, ClientEventResults, ServerEvent, ServerEventPayloads } from '@chat/contracts';
import { LOGGER, Logger } from '@chat/logging';
import { createTokenVerifier } from '../auth/create-verifier';
import { socketAuthMiddleware } from '../auth/socket-auth.middleware';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';
import { RoomEmitter } from '../fanout/room-emitter';
import { ConnectionEventInput, PresenceReporter } from '../presence/presence-reporter';
import { SignalsService } from '../signals/signals.service';
import { boundedParser } from '../limits/bounded-parser';
import { connectionCapMiddleware } from '../limits/connection-cap.middleware';
import { ConnectionRegistry } from '../limits/connection-registry';
import { answer } from './ack';
import { ChatService } from './chat.service';
import { ChatSession } from './chat-session';
import { ChatNamespace, ChatSocket, HandshakeSocket } from './chat-socket';
import { DrainState } from './drain-state';
import { GatewayMetrics } from '../metrics/gateway-metrics';

// Socket.IO's own limit only guards memory (it drops the connection); protocol limits are
// checked per event so that an oversized payload gets PAYLOAD_TOO_LARGE and the client stays.
const TRANSPORT_MAX_BYTES = 1024 * 1024;
// A connection that vanishes without a close (a dead network) is noticed within 15 s rather than
// Socket.IO's default 45 s: presence depends on it.
const PING_INTERVAL_MS = 10_000;
const PING_TIMEOUT_MS = 5_000;

type RoomsTarget = ReturnType<ChatNamespace['to']>;

/**
 * One typed emit per server event: Socket.IO's emit cannot be checked for an event that is a
 * type parameter, each of these is checked against ServerToClientEvents, and a new ServerEvent
 * fails to compile until it has one.
 */
const EMITS: { [E in ServerEvent]: (target: RoomsTarget, payload: ServerEventPayloads[E]) => void } = {
  'message:new': (target, message) => target.emit('message:new', message),
  'presence:update': (target, update) => target.emit('presence:update', update),
  typing: (target, update) => target.emit('typing', update),
  'receipt:read': (target, update) => target.emit('receipt:read', update),
};

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
  implements OnGatewayInit<ChatNamespace>, OnGatewayConnection<HandshakeSocket>, OnGatewayDisconnect<HandshakeSocket>, RoomEmitter
{
  private namespace?: ChatNamespace;

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

  afterInit(namespace: ChatNamespace): void {
    this.namespace = namespace;
    this.presence.resyncFrom(() => this.connectedNow());
    const onVerifierError = (err: unknown) => this.logger.warn({ err }, 'token verification failed (key source unavailable)');
    namespace.use(socketAuthMiddleware(createTokenVerifier(this.config), () => this.drain.accepting, onVerifierError));
    namespace.use(connectionCapMiddleware(this.connections));
  }

  handleConnection(socket: HandshakeSocket): void {
    const { user, limiter } = socket.data;
    if (!user || !limiter) {
      // Socket.IO connects only sockets that passed every middleware, which set both.
      this.logger.error({ connectionId: socket.id }, 'connection without a completed handshake; dropping it');
      socket.disconnect(true);
      return;
    }
    this.metrics.connectedSockets.inc();
    socket.data.session = {
      connectionId: socket.id,
      user,
      limiter,
      isIn: (roomId) => socket.rooms.has(roomId),
      roomCount: () => socket.rooms.size - 1,
      join: (roomId) => void socket.join(roomId),
      leave: (roomId) => {
        void socket.leave(roomId);
        this.signals.leftRoom(socket.id, roomId);
      },
    };
    this.presence.report({ type: 'connection_opened', connectionId: socket.id, userId: user.id });
  }

  handleDisconnect(socket: HandshakeSocket): void {
    const { session } = socket.data;
    if (!session) return; // never accepted: never counted as connected
    this.metrics.connectedSockets.dec();
    this.connections.close(socket.id);
    this.signals.leftRoom(socket.id);
    this.presence.report({ type: 'connection_closed', connectionId: socket.id, userId: session.user.id });
  }

  @SubscribeMessage(ClientEvent.RoomJoin)
  join(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown) {
    return this.answer(ClientEvent.RoomJoin, () => this.chat.join(this.session(socket), payload));
  }

  @SubscribeMessage(ClientEvent.RoomLeave)
  leave(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown) {
    return this.answer(ClientEvent.RoomLeave, () => this.chat.leave(this.session(socket), payload));
  }

  @SubscribeMessage(ClientEvent.MessageSend)
  send(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown) {
    // A send still queued when its client has been told UNAVAILABLE is not produced at all.
    const deadline = Date.now() + this.ackBudgetMs();
    return this.answer(ClientEvent.MessageSend, () => this.chat.send(this.session(socket), payload, deadline));
  }

  @SubscribeMessage(ClientEvent.HistoryFetch)
  history(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown) {
    return this.answer(ClientEvent.HistoryFetch, () => this.chat.fetchHistory(this.session(socket), payload));
  }

  @SubscribeMessage(ClientEvent.Typing)
  typing(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown) {
    return this.answer(ClientEvent.Typing, () => this.signals.setTyping(this.session(socket), payload));
  }

  @SubscribeMessage(ClientEvent.ReceiptRead)
  receipt(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown) {
    return this.answer(ClientEvent.ReceiptRead, () => this.signals.markRead(this.session(socket), payload));
  }

  emitToRooms<E extends ServerEvent>(rooms: string | string[], event: E, payload: ServerEventPayloads[E], exceptSocketId?: string): void {
    if (!this.namespace) return;
    const target = this.namespace.to(rooms);
    EMITS[event](exceptSocketId ? target.except(exceptSocketId) : target, payload);
  }

  /** Asks every client to reconnect elsewhere; called once in-flight sends are answered. */
  disconnectAll(): void {
    this.namespace?.disconnectSockets(true);
  }

  private connectedNow(): ConnectionEventInput[] {
    const events: ConnectionEventInput[] = [];
    for (const socket of this.namespace?.sockets.values() ?? []) {
      const userId = socket.data.user.id;
      events.push({ type: 'connection_opened', connectionId: socket.id, userId });
      for (const roomId of socket.rooms) {
        if (roomId !== socket.id) events.push({ type: 'room_joined', connectionId: socket.id, userId, roomId });
      }
    }
    return events;
  }

  private session(socket: ChatSocket): ChatSession {
    return socket.data.session;
  }

  /** The ack of `event`, typed by protocol v1's ClientToServerEvents. */
  private answer<E extends ClientEvent>(event: E, work: () => Promise<ClientEventResults[E]>): Promise<Ack<ClientEventResults[E]>> {
    const onUnexpected = (error: unknown) => this.logger.error({ err: error, event }, 'unexpected error in a client event');
    return answer(work, this.ackBudgetMs(), onUnexpected, this.metrics.ackObserver(event));
  }

  /** A little under the client's ack timeout, so the client hears UNAVAILABLE rather than nothing. */
  private ackBudgetMs(): number {
    return Math.max(100, this.config.ACK_TIMEOUT_MS - 250);
  }
}
