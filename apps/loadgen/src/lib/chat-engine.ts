import { performance } from 'node:perf_hooks';
import { DeliveredMessage, DeliveryAccounting } from './accounting';
import { connectMany, ConnectStats, forEachLimited, signToken } from './clients';
import { LatencyHistogram } from './histogram';
import { Pacer } from './pacer';
import { ChatClient, ProtocolAdapter } from './protocol';
import { buildTopology, Topology, urlForUser } from './topology';
import { at } from './checked';

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
  protocol: ProtocolAdapter;
}

export type Log = (line: string) => void;

/**
 * The chat workload over real connections (through config.protocol): connects the users, joins
 * their rooms, sends at a paced rate and hands every ack and delivery to the accounting.
 */
export class ChatEngine {
  readonly topology: Topology;
  readonly roomIds: string[];
  readonly userIds: string[];
  readonly accounting: DeliveryAccounting;
  readonly joinLatency = new LatencyHistogram();
  private readonly clients: (ChatClient | undefined)[];
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
    this.clients = new Array(config.users);
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
    const { protocol, urls, secret, ackTimeoutMs } = this.config;
    return connectMany(
      this.config.users,
      this.config.connectConcurrency,
      (u) => protocol.connect(urlForUser(urls, u), signToken(at(this.userIds, u, 'user'), secret), this.eventsOf(u), Math.max(20_000, ackTimeoutMs)),
      (u, client) => (this.clients[u] = client),
      () => this.expired,
    );
  }

  /** Joins every user to its rooms; returns the failures (empty when all joined). */
  async joinAll(): Promise<string[]> {
    const failures: string[] = [];
    await forEachLimited(
      this.config.users,
      this.config.connectConcurrency,
      async (u) => {
        const client = this.clients[u];
        if (!client) return;
        for (const { room } of at(this.topology.memberships, u, 'user')) {
          const started = performance.now();
          const outcome = await client.join(at(this.roomIds, room, 'room'), this.config.ackTimeoutMs);
          if (outcome.ok) this.joinLatency.recordMs(performance.now() - started);
          else failures.push(`${this.userIds[u]} → ${this.roomIds[room]}: ${outcome.code}`);
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
    for (const client of this.clients) client?.close();
  }

  private eventsOf(user: number) {
    return {
      onMessage: (message: DeliveredMessage) => this.accounting.recordDelivery(user, message, performance.now()),
      onDisconnect: (reason: string) => {
        this.disconnects++;
        this.log(`user ${this.userIds[user]} disconnected: ${reason}`);
      },
    };
  }

  private sendOne(phase: number, measured: boolean): void {
    const order = this.topology.sendOrder;
    const user = at(order, this.cursor++ % order.length, 'send slot');
    const client = this.clients[user];
    const rooms = at(this.topology.memberships, user, 'user');
    const turn = at(this.nextRoom, user, 'user');
    this.nextRoom[user] = turn + 1;
    const room = at(rooms, turn % rooms.length, 'membership').room;
    this.sentTotal++;
    const now = performance.now();
    const clientMsgId = this.accounting.recordSend(phase, room, user, now, measured);
    if (!client?.connected) {
      this.accounting.recordFailure(clientMsgId, { code: 'DISCONNECTED' });
      return;
    }
    const body = (clientMsgId + ' ' + this.filler).slice(0, this.config.bodyBytes);
    client.send(at(this.roomIds, room, 'room'), clientMsgId, body, this.config.ackTimeoutMs, (outcome) => {
      if (outcome.ok) this.accounting.recordAck(clientMsgId, performance.now(), outcome.message);
      else this.accounting.recordFailure(clientMsgId, { code: outcome.code });
    });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
