import { performance } from 'node:perf_hooks';
import { io, Socket } from 'socket.io-client';
import { CHAT_NAMESPACE, ClientEvent, ClientToServerEvents, ServerEvent, ServerToClientEvents } from '@chat/contracts';
import { DeliveredMessage } from './accounting';
import { ChatClient, ClientEvents, ConnectOutcome, JoinOutcome, ProtocolAdapter, SendOutcome } from './protocol';

/** A protocol v1 client socket, typed by the contracts' event maps. */
type ChatClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Protocol v1 over socket.io-client 4.8: the platform's gateways and the Socket.IO peer. */
export const socketIoAdapter: ProtocolAdapter = {
  name: 'socketio',
  connect(baseUrl, token, events, timeoutMs) {
    const started = performance.now();
    const socket: ChatClientSocket = io(baseUrl + CHAT_NAMESPACE, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: timeoutMs,
    });
    return new Promise<ConnectOutcome>((resolve) => {
      socket.once('connect', () => resolve({ client: new SocketIoClient(socket, events), ms: performance.now() - started }));
      socket.once('connect_error', (error: Error) => {
        socket.close();
        resolve({ error: error.message || 'connect_error', ms: performance.now() - started });
      });
    });
  },
};

class SocketIoClient implements ChatClient {
  constructor(
    private readonly socket: ChatClientSocket,
    events: ClientEvents,
  ) {
    socket.on(ServerEvent.MessageNew, (message: DeliveredMessage) => events.onMessage(message));
    socket.on('disconnect', (reason) => {
      if (reason !== 'io client disconnect') events.onDisconnect(reason);
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  async join(roomId: string, timeoutMs: number): Promise<JoinOutcome> {
    try {
      const ack = await this.socket.timeout(timeoutMs).emitWithAck(ClientEvent.RoomJoin, { roomId });
      return ack?.ok ? { ok: true } : { ok: false, code: ack?.error?.code ?? 'BAD_ACK' };
    } catch (error) {
      return { ok: false, code: (error as Error).message };
    }
  }

  send(roomId: string, clientMsgId: string, body: string, timeoutMs: number, done: (outcome: SendOutcome) => void): void {
    this.socket.timeout(timeoutMs).emit(ClientEvent.MessageSend, { roomId, clientMsgId, body }, (error, ack) => {
      if (error) done({ ok: false, code: 'TIMEOUT' });
      else if (ack?.ok && ack.message) done({ ok: true, message: ack.message });
      else done({ ok: false, code: (!ack?.ok && ack?.error?.code) || 'BAD_ACK' });
    });
  }

  close(): void {
    this.socket.close();
  }
}
