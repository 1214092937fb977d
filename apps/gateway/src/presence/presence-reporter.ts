import { Producer } from 'kafkajs';
import { PresenceEvent, PresenceEventsTopic } from '@chat/contracts';
import { allDone, InFlightBatcher, Outcome, produce } from '@chat/kafka';
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
  private readonly batcher: InFlightBatcher<PresenceEvent>;
  private heartbeat?: NodeJS.Timeout;
  private stopping = false;
  private failingSince?: number;
  /** What is connected here now, to re-announce after an outage the lease did not survive. */
  private snapshot: () => ConnectionEventInput[] = () => [];

  constructor(
    private readonly producer: Producer,
    private readonly gatewayId: string,
    private readonly logger: Logger,
    private readonly heartbeatMs = 5000,
    private readonly leaseMs = 15_000,
    queueLimit = 100_000,
  ) {
    this.batcher = new InFlightBatcher({ send: (batch) => this.send(batch), maxBatch: MAX_BATCH, queueLimit, whenFull: 'drop-oldest' });
  }

  /** Events dropped, oldest first, while the queue was full. */
  get dropped(): number {
    return this.batcher.dropped;
  }

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
    await Promise.race([this.batcher.idle(), deadline]);
    await this.producer.disconnect();
  }

  private beat(): void {
    this.enqueue({ type: 'gateway_heartbeat', gatewayId: this.gatewayId, at: new Date().toISOString(), leaseMs: this.leaseMs });
  }

  /** Nobody awaits an event: one that is dropped, or given up on while stopping, is just gone. */
  private enqueue(event: PresenceEvent): void {
    this.batcher.add(event).catch(() => undefined);
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

  /** Retries the batch until Kafka takes it (later events wait behind it, in order); gives up only while stopping. */
  private async send(batch: readonly PresenceEvent[]): Promise<Outcome<void>[]> {
    for (;;) {
      // Failing while stopping: what is left is given up, not retried past the stop deadline.
      if (this.stopping && this.failingSince !== undefined) throw new Error('presence events given up on stop');
      try {
        await produce(this.producer, PresenceEventsTopic, batch);
        this.recovered();
        return allDone(batch);
      } catch (error) {
        this.failingSince ??= Date.now();
        if (this.stopping) throw error;
        this.logger.warn({ err: error, queued: this.batcher.size + batch.length }, 'presence events not delivered; retrying');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }
}
