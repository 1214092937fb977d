import { Producer } from 'kafkajs';
import { encodeRecord, PresenceEvent, PresenceEventsTopic } from '@chat/contracts';
import type { Logger } from '@chat/logging';

type ConnectionEvent = Extract<PresenceEvent, { connectionId: string }>;
// Distributes over the union, so each event type keeps its own fields (roomId).
export type ConnectionEventInput = ConnectionEvent extends infer E ? (E extends ConnectionEvent ? Omit<E, 'gatewayId' | 'at'> : never) : never;

const MAX_BATCH = 1000;
const RETRY_MS = 1000;

/**
 * Tells the presence service what happens on this gateway's connections, batched: all events
 * queued while a produce is in flight go in the next one, and liveness is one heartbeat per
 * gateway (renewing its lease), never one message per socket. While Kafka is unreachable events
 * wait, in order, and go out when it is back; past `queueLimit` the oldest are dropped (the
 * lease and the next connection events repair presence then).
 */
export class PresenceReporter {
  private readonly queue: PresenceEvent[] = [];
  private flushing: Promise<void> | null = null;
  private heartbeat?: NodeJS.Timeout;
  private stopping = false;
  private failingSince?: number;
  /** What is connected here now, to re-announce after an outage the lease did not survive. */
  private snapshot: () => ConnectionEventInput[] = () => [];
  dropped = 0;

  constructor(
    private readonly producer: Producer,
    private readonly gatewayId: string,
    private readonly logger: Logger,
    private readonly heartbeatMs = 5000,
    private readonly leaseMs = 15_000,
    private readonly queueLimit = 100_000,
  ) {}

  async start(): Promise<void> {
    await this.producer.connect();
    this.beat();
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  resyncFrom(snapshot: () => ConnectionEventInput[]): void {
    this.snapshot = snapshot;
  }

  report(event: ConnectionEventInput): void {
    this.enqueue({ ...event, gatewayId: this.gatewayId, at: new Date().toISOString() } as PresenceEvent);
  }

  /** Says goodbye so this gateway's users go offline now, not when the lease runs out. */
  async stop(timeoutMs: number): Promise<void> {
    clearInterval(this.heartbeat);
    this.enqueue({ type: 'gateway_stopped', gatewayId: this.gatewayId, at: new Date().toISOString() });
    this.stopping = true;
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([this.drained(), deadline]);
    await this.producer.disconnect();
  }

  private beat(): void {
    this.enqueue({ type: 'gateway_heartbeat', gatewayId: this.gatewayId, at: new Date().toISOString(), leaseMs: this.leaseMs });
  }

  private enqueue(event: PresenceEvent): void {
    this.queue.push(event);
    if (this.queue.length > this.queueLimit) {
      this.queue.shift();
      this.dropped++;
    }
    this.flushing ??= this.flush();
  }

  /**
   * Kafka was out of reach longer than the lease: the presence service has taken this gateway
   * for dead and dropped its connections, so announce the ones still here again.
   */
  private recovered(): void {
    if (this.failingSince !== undefined && Date.now() - this.failingSince > this.leaseMs) {
      for (const event of this.snapshot()) this.report(event);
    }
    this.failingSince = undefined;
  }

  private async drained(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    await Promise.resolve(); // see MessagePublisher.flushAll: `flushing` is set before this ends
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.slice(0, MAX_BATCH);
        try {
          await this.producer.send({ topic: PresenceEventsTopic.name, messages: batch.map((e) => encodeRecord(PresenceEventsTopic, e)) });
          this.queue.splice(0, batch.length);
          this.recovered();
        } catch (error) {
          this.failingSince ??= Date.now();
          if (this.stopping) return;
          this.logger.warn({ err: error, queued: this.queue.length }, 'presence events not delivered; retrying');
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        }
      }
    } finally {
      this.flushing = null;
    }
  }
}
