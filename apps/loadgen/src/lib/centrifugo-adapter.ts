import { performance } from 'node:perf_hooks';
import { Centrifuge, DisconnectedContext, ErrorContext, PublicationContext, State, Subscription } from 'centrifuge';
import { DeliveredMessage } from './accounting';
import { FramePerTurnWebSocket } from './frame-per-turn';
import { ChatClient, ClientEvents, ConnectOutcome, JoinOutcome, ProtocolAdapter, SendOutcome } from './protocol';

/** The Centrifugo namespace the benchmark configures (history, recovery, client publish): rooms are its channels. */
export const CENTRIFUGO_NAMESPACE = 'chat';
export const channelOf = (roomId: string) => `${CENTRIFUGO_NAMESPACE}:${roomId}`;

/** What the load generator publishes: the clientMsgId lets a delivery find its send. */
export interface CentrifugoPayload {
  clientMsgId: string;
  body: string;
}

/**
 * A publication as the accounting sees a message:new. Centrifugo's publish reply carries no
 * identity, so the message is named by its channel offset (stamped by the Redis engine, one
 * sequence per channel, as the platform's per-room offsets); the sender is the publisher's
 * connection info, which the server fills in, not the payload.
 */
export function deliveredFromPublication(ctx: Pick<PublicationContext, 'channel' | 'data' | 'offset' | 'info'>): DeliveredMessage | undefined {
  const data = ctx.data as Partial<CentrifugoPayload> | null;
  if (typeof data?.clientMsgId !== 'string' || typeof ctx.offset !== 'number') return undefined;
  const prefix = `${CENTRIFUGO_NAMESPACE}:`;
  const roomId = ctx.channel.startsWith(prefix) ? ctx.channel.slice(prefix.length) : ctx.channel;
  return { messageId: `${ctx.channel}@${ctx.offset}`, roomId, senderId: ctx.info?.user ?? '', clientMsgId: data.clientMsgId, offset: ctx.offset };
}

/** Centrifugo's bidirectional WebSocket protocol (JSON) through the `centrifuge` client, over `ws` as socket.io-client uses (one frame per turn: see FramePerTurn). */
export const centrifugoAdapter: ProtocolAdapter = {
  name: 'centrifugo',
  connect(baseUrl, token, events, timeoutMs) {
    const started = performance.now();
    const url = baseUrl.replace(/^http/, 'ws') + '/connection/websocket';
    const client = new Centrifuge(url, { token, websocket: FramePerTurnWebSocket, timeout: timeoutMs });
    return new Promise<ConnectOutcome>((resolve) => {
      const timer = setTimeout(() => fail('connect timeout'), timeoutMs);
      const settle = () => {
        clearTimeout(timer);
        client.off('connected', onConnected).off('error', onError).off('disconnected', onDisconnected);
      };
      const fail = (reason: string) => {
        settle();
        client.disconnect();
        resolve({ error: reason, ms: performance.now() - started });
      };
      const onConnected = () => {
        settle();
        resolve({ client: new CentrifugoClient(client, events), ms: performance.now() - started });
      };
      // The client retries by itself; a handshake that fails once is a failed connect here, as with Socket.IO.
      const onError = (ctx: ErrorContext) => fail(ctx.error?.message || 'connect_error');
      const onDisconnected = (ctx: DisconnectedContext) => fail(ctx.reason || `disconnected ${ctx.code}`);
      client.on('connected', onConnected).on('error', onError).on('disconnected', onDisconnected);
      client.connect();
    });
  },
};

class CentrifugoClient implements ChatClient {
  private readonly subscriptions = new Map<string, Subscription>();
  private closing = false;

  constructor(
    private readonly client: Centrifuge,
    private readonly events: ClientEvents,
  ) {
    // 'connecting' after 'connected' means the transport went away (the client reconnects and
    // recovers by itself): count it, as the Socket.IO adapter counts a disconnect.
    client.on('connecting', (ctx) => {
      if (!this.closing) events.onDisconnect(`${ctx.code} ${ctx.reason}`);
    });
    client.on('disconnected', (ctx) => {
      if (!this.closing) events.onDisconnect(`${ctx.code} ${ctx.reason}`);
    });
  }

  get connected(): boolean {
    return this.client.state === State.Connected;
  }

  async join(roomId: string, timeoutMs: number): Promise<JoinOutcome> {
    const sub = this.client.newSubscription(channelOf(roomId));
    sub.on('publication', (ctx) => {
      const message = deliveredFromPublication(ctx);
      if (message) this.events.onMessage(message);
    });
    this.subscriptions.set(roomId, sub);
    sub.subscribe();
    try {
      await sub.ready(timeoutMs);
      return { ok: true };
    } catch (error) {
      return { ok: false, code: errorCode(error) };
    }
  }

  send(roomId: string, clientMsgId: string, body: string, timeoutMs: number, done: (outcome: SendOutcome) => void): void {
    const sub = this.subscriptions.get(roomId);
    if (!sub) {
      done({ ok: false, code: 'NOT_JOINED' });
      return;
    }
    let settled = false;
    const settle = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(outcome);
    };
    const timer = setTimeout(() => settle({ ok: false, code: 'TIMEOUT' }), timeoutMs);
    const payload: CentrifugoPayload = { clientMsgId, body };
    sub.publish(payload).then(
      () => settle({ ok: true }),
      (error: unknown) => settle({ ok: false, code: errorCode(error) }),
    );
  }

  close(): void {
    this.closing = true;
    this.client.disconnect();
  }
}

/** centrifuge rejects with { code, message }: the code names the failure in the result (TIMEOUT for code 1). */
function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number') {
    return error.code === 1 ? 'TIMEOUT' : `CENTRIFUGO_${error.code}`;
  }
  return error instanceof Error ? error.message : 'UNKNOWN';
}
