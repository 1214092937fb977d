import { LatencyHistogram, LatencySummary, round3 } from './histogram';
import { at } from './checked';

/** What the load generator knows of one message it sent. */
interface SentRecord {
  phase: number;
  room: number;
  sender: number;
  sentAt: number;
  /** Whether its latencies count (false while warming up). */
  measured: boolean;
  status: 'pending' | 'acked' | 'failed';
  /** The identity the server gave it: from the ack, or from the first delivery if that came first. */
  messageId?: string;
  offset?: number;
  /** Deliveries per member index of the room. */
  received: Uint8Array;
  distinct: number;
}

/** The fields of a protocol v1 Message the accounting looks at. */
export interface DeliveredMessage {
  messageId: string;
  roomId: string;
  senderId: string;
  clientMsgId: string;
  offset: number;
}

export interface SendFailure {
  /** A protocol error code, or TIMEOUT when no ack came in time, or DISCONNECTED. */
  code: string;
}

export interface DeliveryCounts {
  /** message:send emitted. */
  sent: number;
  /** Answered { ok: true }. */
  acked: number;
  /** Answered { ok: false } or not answered in time. */
  failed: number;
  failures: Record<string, number>;
  /** Σ over acked messages of the room's member count (the sender's own socket included). */
  expected: number;
  /** First deliveries of acked messages to a member. */
  delivered: number;
  /** expected − delivered: acked messages some member never got. */
  lost: number;
  /** A member got the same messageId again. */
  duplicates: number;
  /** A member got a message whose offset is not above the last it got in that room. */
  orderViolations: number;
  /** A delivery disagreeing with the ack (messageId, offset, room or sender). */
  mismatches: number;
  /** Deliveries of messages whose send failed (the server may still have taken them). */
  deliveredUnacked: number;
  /** message:new for a clientMsgId this run never sent, or to a socket not in the room. */
  unexpected: number;
}

export interface PhaseReport {
  phase: number;
  counts: DeliveryCounts;
  ackMs: LatencySummary;
  e2eMs: LatencySummary;
  /** From the first to the last send of the phase. */
  sendWindowMs: number;
  /** Sends per second over the send window. */
  sentPerSec: number;
  ackedPerSec: number;
  /** Distinct deliveries of the phase's messages per second of its send window. */
  deliveriesPerSec: number;
}

export interface TimelinePoint {
  /** Seconds since the accounting started. */
  t: number;
  sent: number;
  acked: number;
  delivered: number;
  e2eP50Ms: number;
  e2eP99Ms: number;
}

interface PhaseState {
  counts: DeliveryCounts;
  ack: LatencyHistogram;
  e2e: LatencyHistogram;
  firstSendAt: number;
  lastSendAt: number;
}

interface Second {
  sent: number;
  acked: number;
  delivered: number;
  e2e: LatencyHistogram;
}

/**
 * Delivered/expected accounting of one run: every send, ack and message:new goes through here.
 * clientMsgIds are `<runId>-<seq>`, so a delivery finds its send by index, not by lookup.
 */
export class DeliveryAccounting {
  private readonly records: (SentRecord | undefined)[] = [];
  private readonly phases = new Map<number, PhaseState>();
  /** Last offset each receiver saw in each room: key receiver·rooms + room. */
  private readonly lastOffset = new Map<number, number>();
  private readonly seconds: Second[] = [];
  private readonly prefix: string;

  constructor(
    readonly runId: string,
    private readonly roomIds: readonly string[],
    private readonly roomMembers: readonly (readonly number[])[],
    private readonly memberIndex: (user: number, room: number) => number,
    private readonly userIds: readonly string[],
    private readonly startedAt: number,
  ) {
    this.prefix = `${runId}-`;
  }

  /**
   * Registers a send; returns its clientMsgId. `seq` is given when the sends of several worker
   * processes are merged (each numbers its own, interleaved); the records may then have holes.
   */
  recordSend(phase: number, room: number, sender: number, now: number, measured = true, seq = this.records.length): string {
    this.records[seq] = {
      phase,
      room,
      sender,
      sentAt: now,
      measured,
      status: 'pending',
      received: new Uint8Array(at(this.roomMembers, room, 'room').length),
      distinct: 0,
    };
    const state = this.phase(phase);
    state.counts.sent++;
    if (state.firstSendAt < 0) state.firstSendAt = now;
    state.lastSendAt = now;
    this.second(now).sent++;
    return this.prefix + seq;
  }

  /** An ok-ack; `message` is the identity it gave, if the protocol's ack carries one (else the first delivery's counts). */
  recordAck(clientMsgId: string, now: number, message?: { messageId: string; offset: number; roomId: string }): void {
    const record = this.find(clientMsgId);
    if (!record || record.status !== 'pending') return;
    const state = this.phase(record.phase);
    record.status = 'acked';
    state.counts.acked++;
    this.second(now).acked++;
    if (record.measured) state.ack.recordMs(now - record.sentAt);
    if (!message) return;
    if (message.roomId !== this.roomIds[record.room]) state.counts.mismatches++;
    if (record.messageId === undefined) {
      record.messageId = message.messageId;
      record.offset = message.offset;
    } else if (record.messageId !== message.messageId || record.offset !== message.offset) {
      state.counts.mismatches++;
    }
  }

  recordFailure(clientMsgId: string, failure: SendFailure): void {
    const record = this.find(clientMsgId);
    if (!record || record.status !== 'pending') return;
    const counts = this.phase(record.phase).counts;
    record.status = 'failed';
    counts.failed++;
    counts.failures[failure.code] = (counts.failures[failure.code] ?? 0) + 1;
  }

  /** A message:new that `receiver` got. */
  recordDelivery(receiver: number, message: DeliveredMessage, now: number): void {
    const record = typeof message?.clientMsgId === 'string' ? this.find(message.clientMsgId) : undefined;
    if (!record) {
      this.orphanCounts().unexpected++;
      return;
    }
    const state = this.phase(record.phase);
    const member = this.memberIndex(receiver, record.room);
    if (member < 0 || message.roomId !== this.roomIds[record.room]) {
      state.counts.unexpected++;
      return;
    }
    if (record.messageId === undefined) {
      record.messageId = message.messageId;
      record.offset = message.offset;
    } else if (record.messageId !== message.messageId) {
      state.counts.mismatches++;
      return;
    } else if (record.offset !== message.offset) {
      state.counts.mismatches++;
    }
    if (message.senderId !== this.userIds[record.sender]) state.counts.mismatches++;

    const seen = at(record.received, member, 'member');
    if (seen > 0) {
      state.counts.duplicates++;
      record.received[member] = Math.min(255, seen + 1);
      return;
    }
    record.received[member] = 1;
    record.distinct++;

    const key = receiver * this.roomIds.length + record.room;
    const last = this.lastOffset.get(key);
    if (last !== undefined && !(message.offset > last)) state.counts.orderViolations++;
    if (last === undefined || message.offset > last) this.lastOffset.set(key, message.offset);

    const second = this.second(now);
    second.delivered++;
    if (record.status === 'failed') state.counts.deliveredUnacked++;
    if (record.measured) {
      const latency = now - record.sentAt;
      state.e2e.recordMs(latency);
      second.e2e.recordMs(latency);
    }
  }

  /** Sends of `phase` (all phases if omitted) still waiting for their ack. */
  pendingAcks(phase?: number): number {
    let pending = 0;
    for (const record of this.records) if (record?.status === 'pending' && (phase === undefined || record.phase === phase)) pending++;
    return pending;
  }

  /** Deliveries of acked messages of `phase` (all phases if omitted) not yet seen. */
  outstandingDeliveries(phase?: number): number {
    let outstanding = 0;
    for (const record of this.records) {
      if (record?.status === 'acked' && (phase === undefined || record.phase === phase)) outstanding += record.received.length - record.distinct;
    }
    return outstanding;
  }

  /** The acked messages, for the persistence check. */
  ackedMessages(): { messageId: string; roomId: string; offset: number }[] {
    const acked: { messageId: string; roomId: string; offset: number }[] = [];
    for (const record of this.records) {
      if (record?.status === 'acked' && record.messageId !== undefined && record.offset !== undefined) {
        acked.push({ messageId: record.messageId, roomId: at(this.roomIds, record.room, 'room'), offset: record.offset });
      }
    }
    return acked;
  }

  phaseNumbers(): number[] {
    return [...this.phases.keys()].filter((p) => p >= 0).sort((a, b) => a - b);
  }

  /** Counts and latencies of the given phases together (latencies of measured sends only). */
  report(phases: readonly number[]): PhaseReport {
    const wanted = new Set(phases);
    const counts = emptyCounts();
    const ack = new LatencyHistogram();
    const e2e = new LatencyHistogram();
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const [phase, state] of this.phases) {
      if (!wanted.has(phase)) continue;
      addCounts(counts, state.counts);
      ack.add(state.ack);
      e2e.add(state.e2e);
      if (state.firstSendAt >= 0) {
        first = Math.min(first, state.firstSendAt);
        last = Math.max(last, state.lastSendAt);
      }
    }
    for (const record of this.records) {
      if (!record || !wanted.has(record.phase) || record.status !== 'acked') continue;
      counts.expected += record.received.length;
      counts.delivered += record.distinct;
    }
    counts.lost = counts.expected - counts.delivered;
    const sends = counts.sent;
    // n sends spread evenly over a window span it plus one interval: (n − 1) gaps.
    const windowMs = Number.isFinite(first) ? last - first : 0;
    const perSec = (n: number) => (windowMs > 0 && sends > 1 ? round3((n * (sends - 1)) / sends / (windowMs / 1000)) : 0);
    let deliveries = 0;
    for (const record of this.records) if (record && wanted.has(record.phase)) deliveries += record.distinct;
    return {
      phase: phases.length === 1 ? at(phases, 0, 'phase') : -1,
      counts,
      ackMs: ack.summary(),
      e2eMs: e2e.summary(),
      sendWindowMs: round3(windowMs),
      sentPerSec: perSec(sends),
      ackedPerSec: perSec(counts.acked),
      deliveriesPerSec: perSec(deliveries),
    };
  }

  /** Per second since the start: sends, acks, deliveries and end-to-end latency. */
  timeline(): TimelinePoint[] {
    return this.seconds.map((s, t) => ({
      t,
      sent: s?.sent ?? 0,
      acked: s?.acked ?? 0,
      delivered: s?.delivered ?? 0,
      e2eP50Ms: s ? round3(s.e2e.percentileMs(50)) : 0,
      e2eP99Ms: s ? round3(s.e2e.percentileMs(99)) : 0,
    }));
  }

  /** Deliveries that matched no send of this run (phase −1). */
  unexpectedOutsidePhases(): number {
    return this.phases.get(-1)?.counts.unexpected ?? 0;
  }

  private find(clientMsgId: string): SentRecord | undefined {
    if (!clientMsgId.startsWith(this.prefix)) return undefined;
    const tail = clientMsgId.slice(this.prefix.length);
    if (!/^\d+$/.test(tail)) return undefined;
    return this.records[Number(tail)];
  }

  private orphanCounts(): DeliveryCounts {
    return this.phase(-1).counts;
  }

  private phase(phase: number): PhaseState {
    let state = this.phases.get(phase);
    if (!state) {
      state = { counts: emptyCounts(), ack: new LatencyHistogram(), e2e: new LatencyHistogram(), firstSendAt: -1, lastSendAt: -1 };
      this.phases.set(phase, state);
    }
    return state;
  }

  private second(now: number): Second {
    const index = Math.max(0, Math.floor((now - this.startedAt) / 1000));
    for (let i = this.seconds.length; i <= index; i++) this.seconds.push({ sent: 0, acked: 0, delivered: 0, e2e: new LatencyHistogram() });
    return at(this.seconds, index, 'second');
  }
}

export function emptyCounts(): DeliveryCounts {
  return {
    sent: 0,
    acked: 0,
    failed: 0,
    failures: {},
    expected: 0,
    delivered: 0,
    lost: 0,
    duplicates: 0,
    orderViolations: 0,
    mismatches: 0,
    deliveredUnacked: 0,
    unexpected: 0,
  };
}

function addCounts(into: DeliveryCounts, from: DeliveryCounts): void {
  into.sent += from.sent;
  into.acked += from.acked;
  into.failed += from.failed;
  for (const [code, n] of Object.entries(from.failures)) into.failures[code] = (into.failures[code] ?? 0) + n;
  into.duplicates += from.duplicates;
  into.orderViolations += from.orderViolations;
  into.mismatches += from.mismatches;
  into.deliveredUnacked += from.deliveredUnacked;
  into.unexpected += from.unexpected;
}
