import jwt from 'jsonwebtoken';
import { DeliveredMessage } from '../lib/accounting';
import { ChatClient, ClientEvents, ConnectOutcome, JoinOutcome, ProtocolAdapter, SendOutcome } from '../lib/protocol';

export interface FakeServerOptions {
  /** Whether the ack carries the message's identity (protocol v1) or nothing (Centrifugo). */
  ackIdentity: boolean;
  /** Deliveries to drop: (clientMsgId, receiver user id) → true drops it. */
  drop?: (clientMsgId: string, userId: string) => boolean;
  /** Deliveries to send twice. */
  duplicate?: (clientMsgId: string, userId: string) => boolean;
  /** Connections refused, by user id. */
  refuse?: (userId: string) => boolean;
}

/**
 * A chat system in memory behind the ProtocolAdapter interface: rooms, per-room offsets, acks and
 * fan-out to every member (the sender too), synchronously, with loss or duplicates on request.
 */
export class FakeServer {
  readonly rooms = new Map<string, Set<FakeClient>>();
  readonly offsets = new Map<string, number>();
  readonly adapter: ProtocolAdapter;

  constructor(readonly options: FakeServerOptions) {
    this.adapter = {
      name: 'socketio',
      connect: async (_baseUrl: string, token: string, events: ClientEvents): Promise<ConnectOutcome> => {
        const claims = jwt.decode(token);
        const userId = typeof claims === 'object' && typeof claims?.sub === 'string' ? claims.sub : '';
        if (options.refuse?.(userId)) return { error: 'refused', ms: 1 };
        return { client: new FakeClient(this, userId, events), ms: 1 };
      },
    };
  }

  publish(from: FakeClient, roomId: string, clientMsgId: string): SendOutcome {
    const members = this.rooms.get(roomId);
    if (!members?.has(from)) return { ok: false, code: 'NOT_IN_ROOM' };
    const offset = (this.offsets.get(roomId) ?? 0) + 1;
    this.offsets.set(roomId, offset);
    const message: DeliveredMessage = { messageId: `${roomId}@${offset}`, roomId, senderId: from.userId, clientMsgId, offset };
    for (const member of members) {
      if (this.options.drop?.(clientMsgId, member.userId)) continue;
      member.events.onMessage(message);
      if (this.options.duplicate?.(clientMsgId, member.userId)) member.events.onMessage(message);
    }
    return { ok: true, message: this.options.ackIdentity ? { messageId: message.messageId, offset, roomId } : undefined };
  }
}

class FakeClient implements ChatClient {
  connected = true;

  constructor(
    private readonly server: FakeServer,
    readonly userId: string,
    readonly events: ClientEvents,
  ) {}

  async join(roomId: string): Promise<JoinOutcome> {
    const members = this.server.rooms.get(roomId) ?? new Set<FakeClient>();
    members.add(this);
    this.server.rooms.set(roomId, members);
    return { ok: true };
  }

  send(roomId: string, clientMsgId: string, _body: string, _timeoutMs: number, done: (outcome: SendOutcome) => void): void {
    // Delivered before the ack, as a fast server may: the accounting must not depend on the order.
    done(this.server.publish(this, roomId, clientMsgId));
  }

  close(): void {
    this.connected = false;
  }
}
