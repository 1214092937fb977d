import { performance } from 'node:perf_hooks';
import { ClientEvent, ServerEvent } from '@chat/contracts';
import { DeliveredMessage, DeliveryAccounting } from './accounting';
import { ChatClientSocket, connectMany, ConnectStats, forEachLimited, signToken } from './clients';
import { LatencyHistogram } from './histogram';
import { Pacer } from './pacer';
import { buildTopology, Topology, urlForUser } from './topology';

export interface EngineConfig {
  urls: string[];
  secret: string;
  runId: string;
  users: number;
  rooms: number;
  members: number;
  bodyBytes: number;
  connectConcurrency: number;
  ackTimeoutMs: number;
  maxMessages: number;
  /** performance.now() after which the engine gives up whatever it is doing. */
  deadline: number;
}

export type Log = (line: string) => void;

/**
 * The chat workload over real sockets: connects the users, joins their rooms, sends at a paced
 * rate and hands every ack and message:new to the accounting.
 */
export class ChatEngine {
  readonly topology: Topology;
  readonly roomIds: string[];
  readonly userIds: string[];
  readonly accounting: DeliveryAccounting;
  readonly joinLatency = new LatencyHistogram();
  private readonly sockets: (ChatClientSocket | undefined)[];
  private readonly memberOf: Map<number, number>[];
  private readonly nextRoom: Uint32Array;
  private readonly filler: string;
  private cursor = 0;
  private sentTotal = 0;
  disconnects = 0;

  constructor(
    private readonly config: EngineConfig,
    private readonly log: Log,
  ) {
    this.topology = buildTopology(config.users, config.rooms, config.members);
    this.roomIds = Array.from({ length: config.rooms }, (_, r) => `${config.runId}-r${r}`);
    this.userIds = Array.from({ length: config.users }, (_, u) => `${config.runId}-u${u}`);
    this.sockets = new Array(config.users);
    this.memberOf = this.topology.memberships.map((list) => new Map(list.map((m) => [m.room, m.member])));
    this.nextRoom = new Uint32Array(config.users);
    this.filler = 'x'.repeat(config.bodyBytes);
    this.accounting = new DeliveryAccounting(
      config.runId,
      this.roomIds,
      this.topology.rooms,
      (user, room) => this.memberOf[user]?.get(room) ?? -1,
      this.userIds,
      performance.now(),
    );
  }

  get expired(): boolean {
    return performance.now() > this.config.deadline;
  }

  async connect(): Promise<ConnectStats> {
    const stats = await connectMany(
      this.config.users,
      this.config.connectConcurrency,
      (u) => urlForUser(this.config.urls, u),
      (u) => signToken(this.userIds[u], this.config.secret),
      (u, socket) => this.attach(u, socket),
      () => this.expired,
    );
    return stats;
  }

  /** Joins every user to its rooms; returns the failures (empty when all joined). */
  async joinAll(): Promise<string[]> {
    const failures: string[] = [];
    await forEachLimited(
      this.config.users,
      this.config.connectConcurrency,
      async (u) => {
        const socket = this.sockets[u];
        if (!socket) return;
        for (const { room } of this.topology.memberships[u]) {
          const started = performance.now();
          try {
            const ack = await socket.timeout(this.config.ackTimeoutMs).emitWithAck(ClientEvent.RoomJoin, { roomId: this.roomIds[room] });
            if (ack?.ok) this.joinLatency.recordMs(performance.now() - started);
            else failures.push(`${this.userIds[u]} → ${this.roomIds[room]}: ${ack?.error?.code ?? 'bad ack'}`);
          } catch (error) {
            failures.push(`${this.userIds[u]} → ${this.roomIds[room]}: ${(error as Error).message}`);
          }
        }
      },
      () => this.expired,
    );
    return failures;
  }

  /**
   * Sends at `ratePerSec` (all users together, each in turn) for `durationMs` or until the
   * message bound; `phaseAt(now)` names the phase (and whether it is measured) of each send.
   */
  async send(ratePerSec: number, durationMs: number, phaseAt: (now: number) => { phase: number; measured: boolean }): Promise<Pacer> {
    const started = performance.now();
    const pacer = new Pacer(ratePerSec, started, Math.max(1, Math.ceil(ratePerSec / 20)));
    const endAt = started + durationMs;
    for (;;) {
      const now = performance.now();
      if (now >= endAt || this.sentTotal >= this.config.maxMessages || now > this.config.deadline) break;
      const due = pacer.take(now, this.config.maxMessages - this.sentTotal);
      if (due > 0) {
        const { phase, measured } = phaseAt(now);
        for (let i = 0; i < due; i++) this.sendOne(phase, measured);
      }
      const wait = Math.min(pacer.msUntilNext(performance.now()), endAt - performance.now(), 10);
      await sleep(Math.max(1, wait));
    }
    return pacer;
  }

  /** Waits until `phase`'s acks and deliveries are all in, or `maxMs` has passed. */
  async drain(maxMs: number, phase?: number): Promise<number> {
    const started = performance.now();
    const until = Math.min(started + maxMs, this.config.deadline);
    while (performance.now() < until) {
      if (this.accounting.pendingAcks(phase) === 0 && this.accounting.outstandingDeliveries(phase) === 0) break;
      await sleep(25);
    }
    return performance.now() - started;
  }

  close(): void {
    for (const socket of this.sockets) socket?.close();
  }

  private attach(user: number, socket: ChatClientSocket): void {
    this.sockets[user] = socket;
    socket.on(ServerEvent.MessageNew, (message: DeliveredMessage) => this.accounting.recordDelivery(user, message, performance.now()));
    socket.on('disconnect', (reason) => {
      if (reason !== 'io client disconnect') {
        this.disconnects++;
        this.log(`user ${this.userIds[user]} disconnected: ${reason}`);
      }
    });
  }

  private sendOne(phase: number, measured: boolean): void {
    const order = this.topology.sendOrder;
    const user = order[this.cursor++ % order.length];
    const socket = this.sockets[user];
    const rooms = this.topology.memberships[user];
    const room = rooms[this.nextRoom[user]++ % rooms.length].room;
    this.sentTotal++;
    const now = performance.now();
    const clientMsgId = this.accounting.recordSend(phase, room, user, now, measured);
    if (!socket?.connected) {
      this.accounting.recordFailure(clientMsgId, { code: 'DISCONNECTED' });
      return;
    }
    const body = (clientMsgId + ' ' + this.filler).slice(0, this.config.bodyBytes);
    socket.timeout(this.config.ackTimeoutMs).emit(
      ClientEvent.MessageSend,
      { roomId: this.roomIds[room], clientMsgId, body },
      (error, ack) => {
        if (error) this.accounting.recordFailure(clientMsgId, { code: 'TIMEOUT' });
        else if (ack?.ok && ack.message) this.accounting.recordAck(clientMsgId, performance.now(), ack.message);
        else this.accounting.recordFailure(clientMsgId, { code: (!ack?.ok && ack?.error?.code) || 'BAD_ACK' });
      },
    );
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
