import { ChildProcess, fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { DeliveryAccounting } from '../accounting';
import { EngineConfig, LoadEngine, Log, PhasePlan, SendReport, sleep } from '../chat-engine';
import { ConnectStats } from '../clients';
import { sharedNow } from '../clock';
import { LatencyHistogram } from '../histogram';
import { ProtocolName } from '../protocol';
import { at } from '../checked';
import { buildTopology } from '../topology';
import { EventMerger } from './events';
import { FromWorker, ToWorker } from './messages';

type Reply<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>;

/** Time the workers get to start sending together (each waits for the same sharedNow()). */
const START_LEAD_MS = 100;

/**
 * The chat workload split over `count` forked copies of this program (`loadgen worker`), for
 * rates one event loop cannot drive: user u lives in worker u mod count; the coordinator keeps
 * the one accounting of the run and replays every worker's events into it (ADR 0026).
 */
export class WorkerPool implements LoadEngine {
  readonly roomIds: string[];
  readonly userIds: string[];
  readonly accounting: DeliveryAccounting;
  readonly joinLatency = new LatencyHistogram();
  readonly senders: number;
  disconnects = 0;
  private readonly children: ChildProcess[] = [];
  private readonly waiters: Map<string, (message: FromWorker) => void>[] = [];
  private readonly merger: EventMerger;
  private readonly shares: number[];
  private failure: Error | undefined;

  private constructor(
    private readonly config: EngineConfig,
    private readonly count: number,
    private readonly log: Log,
  ) {
    const topology = buildTopology(config.users, config.rooms, config.members);
    this.roomIds = Array.from({ length: config.rooms }, (_, r) => `${config.runId}-r${r}`);
    this.userIds = Array.from({ length: config.users }, (_, u) => `${config.runId}-u${u}`);
    const memberOf = topology.memberships.map((list) => new Map(list.map((m) => [m.room, m.member])));
    this.accounting = new DeliveryAccounting(config.runId, this.roomIds, topology.rooms, (user, room) => memberOf[user]?.get(room) ?? -1, this.userIds, sharedNow());
    this.merger = new EventMerger(this.accounting, config.runId, count);
    this.senders = topology.sendOrder.length;
    this.shares = Array.from({ length: count }, (_, w) => topology.sendOrder.filter((u) => u % count === w).length);
  }

  /** Forks the workers (`entry worker`, normally this very program) and hands each its share. */
  static async start(config: EngineConfig, protocol: ProtocolName, count: number, log: Log, entry = process.argv[1]): Promise<WorkerPool> {
    if (entry === undefined) throw new Error('worker pool: no entry script to fork (process.argv[1] is unset)');
    const pool = new WorkerPool(config, count, log);
    for (let w = 0; w < count; w++) pool.spawn(w, entry);
    const remainingMs = Math.max(1, config.deadline - performance.now());
    await pool.all('ready', (w) => {
      const c = config;
      const maxMessages = Math.floor(c.maxMessages / count) + (w < c.maxMessages % count ? 1 : 0);
      const setup = { urls: c.urls, secret: c.secret, runId: c.runId, users: c.users, rooms: c.rooms, members: c.members, bodyBytes: c.bodyBytes };
      return {
        type: 'setup',
        setup: { ...setup, connectConcurrency: c.connectConcurrency, ackTimeoutMs: c.ackTimeoutMs, maxMessages: Math.max(1, maxMessages), remainingMs, protocol, index: w, count },
      };
    });
    return pool;
  }

  get expired(): boolean {
    return performance.now() > this.config.deadline || this.failure !== undefined;
  }

  get pids(): number[] {
    return this.children.map((c) => c.pid).filter((pid): pid is number => pid !== undefined);
  }

  async connect(): Promise<ConnectStats> {
    const replies = await this.all('connected', () => ({ type: 'connect' }));
    const latency = new LatencyHistogram();
    const errors: Record<string, number> = {};
    let attempted = 0;
    let connected = 0;
    let failed = 0;
    let wallMs = 0;
    for (const r of replies) {
      attempted += r.attempted;
      connected += r.connected;
      failed += r.failed;
      wallMs = Math.max(wallMs, r.wallMs);
      for (const [code, n] of Object.entries(r.errors)) errors[code] = (errors[code] ?? 0) + n;
      latency.addEncoded(r.latency);
    }
    return { attempted, connected, failed, errors, wallMs, perSec: wallMs > 0 ? (connected * 1000) / wallMs : 0, latency };
  }

  async joinAll(): Promise<string[]> {
    const replies = await this.all('joined', () => ({ type: 'join' }));
    for (const r of replies) this.joinLatency.addEncoded(r.latency);
    return replies.flatMap((r) => r.failures);
  }

  /** Each worker sends its share of the rate (by its number of senders), all from the same instant. */
  async send(ratePerSec: number, durationMs: number, plan: PhasePlan): Promise<SendReport> {
    const startAt = sharedNow() + START_LEAD_MS;
    const replies = await this.all('sent', (w) => ({ type: 'send', ratePerSec: (ratePerSec * at(this.shares, w, 'worker')) / Math.max(1, this.senders), durationMs, plan, startAt }));
    return {
      taken: replies.reduce((n, r) => n + r.taken, 0),
      maxLagMs: Math.max(0, ...replies.map((r) => r.maxLagMs)),
      workers: replies.map((r) => r.self),
    };
  }

  async drain(maxMs: number, phase?: number): Promise<number> {
    const started = performance.now();
    const until = Math.min(started + maxMs, this.config.deadline);
    while (performance.now() < until && !this.failure) {
      if (this.accounting.pendingAcks(phase) === 0 && this.accounting.outstandingDeliveries(phase) === 0) break;
      await sleep(25);
    }
    return performance.now() - started;
  }

  async close(): Promise<void> {
    const live = this.children.filter((c) => c.connected);
    if (live.length > 0 && !this.failure) {
      await Promise.race([this.all('closed', () => ({ type: 'close' })).catch(() => undefined), sleep(5000)]);
    }
    this.merger.finish();
    for (const child of this.children) if (child.exitCode === null) child.kill('SIGTERM');
  }

  private spawn(w: number, entry: string): void {
    // 'advanced': structured clone, no JSON round trip for the event batches.
    const child = fork(entry, ['worker'], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const waiters = new Map<string, (message: FromWorker) => void>();
    child.on('message', (message: FromWorker) => {
      if (message.type === 'events') this.merger.push(w, message.events);
      else if (message.type === 'log') this.log(`[worker ${w}] ${message.line}`);
      else if (message.type === 'disconnect') this.disconnects++;
      else waiters.get(message.type)?.(message);
    });
    child.once('exit', (code, signal) => {
      if (!this.failure && (code !== 0 || signal)) this.failure = new Error(`worker ${w} exited (${signal ?? code})`);
      for (const waiter of waiters.values()) waiter({ type: 'closed' });
    });
    this.children.push(child);
    this.waiters.push(waiters);
  }

  /** Sends each worker its message and waits for every worker's reply of type `type`. */
  private async all<T extends FromWorker['type']>(type: T, message: (w: number) => ToWorker): Promise<Reply<T>[]> {
    const replies = await Promise.all(
      this.children.map(
        (child, w) =>
          new Promise<FromWorker>((resolve) => {
            const waiters = at(this.waiters, w, 'worker');
            waiters.set(type, (reply) => {
              waiters.delete(type);
              resolve(reply);
            });
            child.send(message(w));
          }),
      ),
    );
    if (this.failure) throw this.failure;
    return replies.filter((r): r is Reply<T> => r.type === type);
  }
}
