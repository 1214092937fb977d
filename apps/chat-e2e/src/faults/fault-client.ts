import { io } from 'socket.io-client';
import { Ack, CHAT_NAMESPACE } from '@chat/contracts';
import type { Message } from '@chat/contracts';
import { ChatClientSocket, sleep, tokenFor } from '../support/client';

/** One send as its client saw it through: acked once, whatever it took. */
export interface AckedSend {
  roomId: string;
  senderId: string;
  clientMsgId: string;
  messageId: string;
  offset: number;
}

export interface SendAttempt {
  at: number;
  ok: boolean;
  code?: string;
}

const ACK_TIMEOUT_MS = 6000;
const RETRY_DELAY_MS = 500;

/**
 * A well-behaved protocol v1 client, as a real chat client would be written: one room, sends
 * retried with the same clientMsgId until acked (or the give-up deadline), re-joins after every
 * reconnect with `sinceOffset` = the last offset it saw, and keeps every message once by messageId.
 */
export class FaultClient {
  readonly received = new Map<string, Message>();
  readonly acked: AckedSend[] = [];
  readonly attempts: SendAttempt[] = [];
  givenUp = 0;
  /** Why the socket dropped, each time it did (Socket.IO's disconnect reasons). */
  readonly drops: Array<{ at: number; reason: string }> = [];
  private readonly socket: ChatClientSocket;
  private lastOffset = -1;
  private seq = 0;
  private sending?: Promise<void>;
  private joining = false;
  private ticker?: NodeJS.Timeout;
  private closed = false;
  private markJoined!: () => void;
  private readonly joinedOnce = new Promise<void>((resolve) => (this.markJoined = resolve));

  constructor(
    readonly userId: string,
    readonly roomId: string,
    port: number,
    private readonly giveUpAfterMs: number,
  ) {
    this.socket = io(`http://127.0.0.1:${port}${CHAT_NAMESPACE}`, {
      auth: { token: tokenFor(userId, undefined, 3600) },
      transports: ['websocket'],
      reconnectionDelay: 250,
      reconnectionDelayMax: 2000,
      autoConnect: false,
    });
    this.socket.on('message:new', (m) => this.keep([m]));
    this.socket.on('connect', () => void this.join());
    // Socket.IO does not retry by itself after a refusal by the server (UNAVAILABLE while a
    // gateway starts or drains) or a disconnect the server asked for: a real client does.
    this.socket.on('connect_error', () => {
      if (!this.socket.active && !this.closed) setTimeout(() => !this.closed && this.socket.connect(), 500);
    });
    this.socket.on('disconnect', (reason) => {
      if (!this.closed) this.drops.push({ at: Date.now(), reason });
      if (reason === 'io server disconnect' && !this.closed) setTimeout(() => !this.closed && this.socket.connect(), 500);
    });
  }

  /** Connects and joins; resolves once the first join was answered. */
  async start(): Promise<void> {
    this.socket.connect();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${this.userId} could not join`)), 30_000)));
    await Promise.race([this.joinedOnce, timeout]).finally(() => clearTimeout(timer));
  }

  /** Starts one send per `intervalMs` (never two at once: a chat UI sends in order). */
  startSending(intervalMs: number): void {
    this.ticker = setInterval(() => {
      this.sending ??= this.sendOne().finally(() => (this.sending = undefined));
    }, intervalMs);
  }

  /** Stops starting sends and waits for the one in flight to be acked or given up. */
  async stopSending(): Promise<void> {
    clearInterval(this.ticker);
    await this.sending;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.ticker);
    this.socket.close();
  }

  private keep(messages: readonly Message[]): void {
    for (const m of messages) {
      if (m.roomId !== this.roomId) continue;
      this.received.set(m.messageId, m);
      if (m.offset > this.lastOffset) this.lastOffset = m.offset;
    }
  }

  /** After every (re)connect: join, resuming after the last offset seen, until answered. */
  private async join(): Promise<void> {
    if (this.joining) return;
    this.joining = true;
    try {
      while (this.socket.connected) {
        const payload = this.lastOffset >= 0 ? { roomId: this.roomId, sinceOffset: this.lastOffset } : { roomId: this.roomId };
        const ack = await this.ackOf((socket) => socket.emitWithAck('room:join', payload));
        if (ack?.ok) {
          this.keep(ack.messages);
          this.markJoined();
          return;
        }
        await sleep(RETRY_DELAY_MS);
      }
    } finally {
      this.joining = false;
    }
  }

  private async sendOne(): Promise<void> {
    const clientMsgId = `${this.userId}-${this.seq++}`;
    const body = `${this.userId} says ${clientMsgId}`;
    const giveUpAt = Date.now() + this.giveUpAfterMs;
    while (Date.now() < giveUpAt) {
      const ack = await this.ackOf((socket) => socket.emitWithAck('message:send', { roomId: this.roomId, clientMsgId, body }));
      if (ack?.ok) {
        this.attempts.push({ at: Date.now(), ok: true });
        const { messageId, offset } = ack.message;
        this.acked.push({ roomId: this.roomId, senderId: this.userId, clientMsgId, messageId, offset });
        return;
      }
      this.attempts.push({ at: Date.now(), ok: false, code: ack ? ack.error.code : this.socket.connected ? 'ACK_TIMEOUT' : 'DISCONNECTED' });
      if (ack && !ack.error.retryable && ack.error.code !== 'NOT_IN_ROOM') break;
      await sleep(RETRY_DELAY_MS);
    }
    this.givenUp++;
  }

  /** The ack, or undefined when none came within the timeout (or the socket is down). */
  private async ackOf<T>(emit: (socket: ReturnType<ChatClientSocket['timeout']>) => Promise<Ack<T>>): Promise<Ack<T> | undefined> {
    if (!this.socket.connected) {
      await sleep(ACK_TIMEOUT_MS / 4);
      return undefined;
    }
    try {
      return await emit(this.socket.timeout(ACK_TIMEOUT_MS));
    } catch {
      return undefined;
    }
  }
}
