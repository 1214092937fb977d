import { DeliveredMessage, DeliveryAccounting, SendFailure } from '../accounting';
import { at } from '../checked';
import { AckedIdentity } from '../protocol';

/**
 * What a worker process saw, in the order it saw it, for the coordinator to replay into the one
 * DeliveryAccounting of the run: loss, duplicates and order are decided there, after merging,
 * because the members of a room may sit on different workers. Times are epoch milliseconds of
 * sharedNow() (one clock for every process of the machine), so latencies across workers are exact.
 */
export type WorkerEvent =
  | ['send', seq: number, phase: number, room: number, sender: number, at: number, measured: boolean]
  | ['ack', clientMsgId: string, at: number, identity: AckedIdentity | null]
  | ['fail', clientMsgId: string, code: string]
  | ['delivery', receiver: number, message: DeliveredMessage, at: number];

/** Sends of worker `worker` of `workers` are numbered worker, worker + workers, …: unique across workers. */
export function globalSeq(local: number, worker: number, workers: number): number {
  return local * workers + worker;
}

/** The worker's side of the accounting: numbers its sends and queues every event for the coordinator. */
export class EventRecorder {
  private pending: WorkerEvent[] = [];
  private sends = 0;
  private readonly prefix: string;

  constructor(
    runId: string,
    private readonly worker: number,
    private readonly workers: number,
  ) {
    this.prefix = `${runId}-`;
  }

  recordSend(phase: number, room: number, sender: number, now: number, measured = true): string {
    const seq = globalSeq(this.sends++, this.worker, this.workers);
    this.pending.push(['send', seq, phase, room, sender, now, measured]);
    return this.prefix + seq;
  }

  recordAck(clientMsgId: string, now: number, message?: AckedIdentity): void {
    this.pending.push(['ack', clientMsgId, now, message ? { messageId: message.messageId, offset: message.offset, roomId: message.roomId } : null]);
  }

  recordFailure(clientMsgId: string, failure: SendFailure): void {
    this.pending.push(['fail', clientMsgId, failure.code]);
  }

  recordDelivery(receiver: number, message: DeliveredMessage, now: number): void {
    // Only the fields the accounting reads: the body would only cost serialisation.
    const { messageId, roomId, senderId, clientMsgId, offset } = message;
    this.pending.push(['delivery', receiver, { messageId, roomId, senderId, clientMsgId, offset }, now]);
  }

  /** The events since the last take, oldest first. */
  take(): WorkerEvent[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}

/**
 * Replays the event streams of all workers into one accounting. Each stream keeps its own order
 * (a receiver's deliveries are all on one worker, so order violations are judged as they
 * arrived); a delivery whose send sits in another worker's stream not yet replayed waits, with
 * the rest of its stream, until that send is in. That cannot wait forever: a worker records a
 * delivery only after the send happened, so the send is always earlier in its own stream.
 */
export class EventMerger {
  /** Per worker: its events in arrival order, the first not replayed yet, and how many of its sends were replayed. */
  private readonly lanes: { queue: WorkerEvent[]; head: number; sendsIn: number }[];
  private readonly prefix: string;
  private final = false;

  constructor(
    private readonly accounting: DeliveryAccounting,
    runId: string,
    private readonly workers: number,
  ) {
    this.lanes = Array.from({ length: workers }, () => ({ queue: [], head: 0, sendsIn: 0 }));
    this.prefix = `${runId}-`;
  }

  push(worker: number, events: readonly WorkerEvent[]): void {
    const { queue } = at(this.lanes, worker, 'worker');
    for (const event of events) queue.push(event);
    this.pump();
  }

  /** Nothing more will come: replay what waits (a delivery of an unknown send counts as unexpected). */
  finish(): void {
    this.final = true;
    this.pump();
  }

  /** Events received but not replayed yet. */
  get waiting(): number {
    return this.lanes.reduce((n, lane) => n + lane.queue.length - lane.head, 0);
  }

  private pump(): void {
    for (let progress = true; progress; ) {
      progress = false;
      for (let w = 0; w < this.workers; w++) if (this.drainQueue(w)) progress = true;
    }
  }

  private drainQueue(worker: number): boolean {
    const lane = at(this.lanes, worker, 'worker');
    const { queue } = lane;
    const start = lane.head;
    let head = start;
    for (let event = queue[head]; event !== undefined; event = queue[head]) {
      if (event[0] === 'delivery' && !this.final && this.sendNotYetIn(event[2].clientMsgId)) break;
      this.apply(worker, event);
      head++;
    }
    const advanced = head > start;
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
    }
    lane.head = head;
    return advanced;
  }

  private sendNotYetIn(clientMsgId: unknown): boolean {
    if (typeof clientMsgId !== 'string' || !clientMsgId.startsWith(this.prefix)) return false;
    const tail = clientMsgId.slice(this.prefix.length);
    if (!/^\d+$/.test(tail)) return false;
    const seq = Number(tail);
    return Math.floor(seq / this.workers) >= at(this.lanes, seq % this.workers, 'worker').sendsIn;
  }

  private apply(worker: number, event: WorkerEvent): void {
    switch (event[0]) {
      case 'send':
        this.accounting.recordSend(event[2], event[3], event[4], event[5], event[6], event[1]);
        at(this.lanes, worker, 'worker').sendsIn++;
        break;
      case 'ack':
        this.accounting.recordAck(event[1], event[2], event[3] ?? undefined);
        break;
      case 'fail':
        this.accounting.recordFailure(event[1], { code: event[2] });
        break;
      case 'delivery':
        this.accounting.recordDelivery(event[1], event[2], event[3]);
        break;
    }
  }
}
