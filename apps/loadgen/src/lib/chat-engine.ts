import { performance } from 'node:perf_hooks';
import { DeliveredMessage, DeliveryAccounting, SendFailure } from './accounting';
import { sharedNow } from './clock';
import { connectMany, ConnectStats, forEachLimited, signToken } from './clients';
import { LatencyHistogram } from './histogram';
import { SelfReport } from './self-probe';
import { Pacer } from './pacer';
import { AckedIdentity, ChatClient, ProtocolAdapter } from './protocol';
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
  /** This process's share of the users when the run is split over worker processes (user u is worker u mod count's). */
  partition?: { index: number; count: number };
}

/** Where the engine records what it sent and saw: the run's accounting, or a worker's event queue. */
export interface SendSink {
  recordSend(phase: number, room: number, sender: number, now: number, measured?: boolean): string;
  recordAck(clientMsgId: string, now: number, message?: AckedIdentity): void;
  recordFailure(clientMsgId: string, failure: SendFailure): void;
  recordDelivery(receiver: number, message: DeliveredMessage, now: number): void;
}

/** Sends before warmupMs (from the start of sending) are phase warmupPhase and unmeasured, the rest phase `phase`. */
export interface PhasePlan {
  warmupMs: number;
  warmupPhase: number;
  phase: number;
}

export interface SendOutcome {
  taken: number;
  maxLagMs: number;
}

/** What a send window reports: with worker processes, each worker's own CPU and event-loop delay. */
export interface SendReport extends SendOutcome {
  workers?: SelfReport[];
}

/** The workload as the runs drive it: in this process (ChatEngine) or over worker processes (WorkerPool). */
export interface LoadEngine {
  readonly roomIds: readonly string[];
  readonly accounting: DeliveryAccounting;
  readonly joinLatency: LatencyHistogram;
  /** Users taking turns to send. */
  readonly senders: number;
  readonly expired: boolean;
  readonly disconnects: number;
  /** Worker processes of the load generator, for its CPU; none when it runs in one process. */
  readonly pids: number[];
  connect(): Promise<ConnectStats>;
  joinAll(): Promise<string[]>;
  send(ratePerSec: number, durationMs: number, plan: PhasePlan): Promise<SendReport>;
  drain(maxMs: number, phase?: number): Promise<number>;
  close(): void | Promise<void>;
}

export type Log = (line: string) => void;

/**
 * The chat workload over real connections (through config.protocol): connects the users, joins
 * their rooms, sends at a paced rate and hands every ack and delivery to the accounting.
 */
export class ChatEngine implements LoadEngine {
  readonly topology: Topology;
  readonly roomIds: string[];
  readonly userIds: string[];
  readonly accounting: DeliveryAccounting;
  readonly joinLatency = new LatencyHistogram();
  private readonly clients: (ChatClient | undefined)[];
  private readonly memberOf: Map<number, number>[];
  private readonly nextRoom: Uint32Array;
  private readonly filler: string;
  private readonly sink: SendSink;
  /** The users this process connects (all of them unless partitioned), and their turns to send. */
  private readonly owned: number[];
  private readonly sendOrder: number[];
  private cursor = 0;
  private sentTotal = 0;
  disconnects = 0;

  constructor(
    private readonly config: EngineConfig,
    private readonly log: Log,
    sink?: SendSink,
    private readonly onDisconnect: () => void = () => undefined,
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
      sharedNow(),
    );
    this.sink = sink ?? this.accounting;
    const { index, count } = config.partition ?? { index: 0, count: 1 };
    const mine = (u: number) => u % count === index;
    this.owned = Array.from({ length: config.users }, (_, u) => u).filter(mine);
    this.sendOrder = this.topology.sendOrder.filter(mine);
  }

  /** Users that take turns sending in this process. */
  get senders(): number {
    return this.sendOrder.length;
  }

  get pids(): number[] {
    return [];
  }

  get expired(): boolean {
    return performance.now() > this.config.deadline;
  }

  async connect(): Promise<ConnectStats> {
    const { protocol, urls, secret, ackTimeoutMs } = this.config;
    const owned = this.owned;
    return connectMany(
      owned.length,
      this.config.connectConcurrency,
      (i) => {
        const u = at(owned, i, 'owned user');
        return protocol.connect(urlForUser(urls, u), signToken(at(this.userIds, u, 'user'), secret), this.eventsOf(u), Math.max(20_000, ackTimeoutMs));
      },
      (i, client) => (this.clients[at(owned, i, 'owned user')] = client),
      () => this.expired,
    );
  }

  /** Joins every user to its rooms; returns the failures (empty when all joined). */
  async joinAll(): Promise<string[]> {
    const failures: string[] = [];
    await forEachLimited(
      this.owned.length,
      this.config.connectConcurrency,
      async (i) => {
        const u = at(this.owned, i, 'owned user');
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
   * Sends at `ratePerSec` (this process's users together, each in turn) for `durationMs` or until
   * the message bound, phases as `plan` says; from `startAt` (sharedNow()) when given, so that
   * worker processes start together.
   */
  async send(ratePerSec: number, durationMs: number, plan: PhasePlan, startAt?: number): Promise<SendOutcome> {
    if (startAt !== undefined) await sleep(Math.max(0, startAt - sharedNow()));
    const started = performance.now();
    const measureFrom = started + plan.warmupMs;
    const pacer = new Pacer(ratePerSec, started, Math.max(1, Math.ceil(ratePerSec / 20)));
    const endAt = started + durationMs;
    for (;;) {
      const now = performance.now();
      if (now >= endAt || this.sentTotal >= this.config.maxMessages || now > this.config.deadline) break;
      const due = pacer.take(now, this.config.maxMessages - this.sentTotal);
      if (due > 0) {
        const measured = now >= measureFrom;
        const phase = measured ? plan.phase : plan.warmupPhase;
        for (let i = 0; i < due; i++) this.sendOne(phase, measured);
      }
      const wait = Math.min(pacer.msUntilNext(performance.now()), endAt - performance.now(), 10);
      await sleep(Math.max(1, wait));
    }
    return { taken: pacer.taken, maxLagMs: pacer.maxLagMs };
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
      onMessage: (message: DeliveredMessage) => this.sink.recordDelivery(user, message, sharedNow()),
      onDisconnect: (reason: string) => {
        this.disconnects++;
        this.onDisconnect();
        this.log(`user ${this.userIds[user]} disconnected: ${reason}`);
      },
    };
  }

  private sendOne(phase: number, measured: boolean): void {
    const order = this.sendOrder;
    const user = at(order, this.cursor++ % order.length, 'send slot');
    const client = this.clients[user];
    const rooms = at(this.topology.memberships, user, 'user');
    const turn = at(this.nextRoom, user, 'user');
    this.nextRoom[user] = turn + 1;
    const room = at(rooms, turn % rooms.length, 'membership').room;
    this.sentTotal++;
    const clientMsgId = this.sink.recordSend(phase, room, user, sharedNow(), measured);
    if (!client?.connected) {
      this.sink.recordFailure(clientMsgId, { code: 'DISCONNECTED' });
      return;
    }
    const body = (clientMsgId + ' ' + this.filler).slice(0, this.config.bodyBytes);
    client.send(at(this.roomIds, room, 'room'), clientMsgId, body, this.config.ackTimeoutMs, (outcome) => {
      if (outcome.ok) this.sink.recordAck(clientMsgId, sharedNow(), outcome.message);
      else this.sink.recordFailure(clientMsgId, { code: outcome.code });
    });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
