import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, Logger } from '@chat/logging';
import { PRESENCE_CONFIG, PresenceConfig } from '../config/presence.config';
import { PresenceMetrics } from '../health/presence-metrics';
import { PresenceEngine } from '../state/presence-engine';
import type { PresenceStore } from '../state/presence-store';
import { INSTANCE_ID, PRESENCE_STORE } from '../state/tokens';
import { ChangePublisher } from './change-publisher';

/** The lock outlives a few missed ticks; a dead leader is replaced after this long. */
const LOCK_TTL_MS = 3000;
/** Warn when deadlines have been waiting this long for the consumer to catch up. */
const LAG_WARN_MS = 10_000;
/** At most one warning of each kind per this long. */
const WARN_EVERY_MS = 30_000;

/**
 * One instance per consumer group (Redis lock) runs, every PRESENCE_TICK_MS:
 * - the sweep: gateways whose lease ended and users whose grace ended, but only deadlines that
 *   the group's watermark has passed by PRESENCE_EVENT_SLACK_MS, so an unread heartbeat or
 *   reconnect in Kafka (after this service was down, or while it lags) is never overruled;
 * - the outbox: changes decided by any instance, produced in order (also right after a batch).
 */
@Injectable()
export class PresenceLeader {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private isLeader = false;
  private partitionCount = 0;
  private startedAt = 0;
  private readonly lastWarned = new Map<string, number>();

  constructor(
    @Inject(PRESENCE_STORE) private readonly store: PresenceStore,
    @Inject(INSTANCE_ID) private readonly instanceId: string,
    @Inject(PRESENCE_CONFIG) private readonly config: PresenceConfig,
    private readonly engine: PresenceEngine,
    private readonly publisher: ChangePublisher,
    private readonly metrics: PresenceMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** `partitionCount`: partitions of presence.events.v1, all of which the watermark covers. */
  start(partitionCount: number): void {
    if (this.running) return;
    this.partitionCount = partitionCount;
    this.startedAt = Date.now();
    this.running = true;
    this.loop = this.run();
  }

  /** Publish soon (a batch decided changes): at once if this instance is the leader. */
  nudge(): void {
    if (!this.isLeader) return;
    this.publisher.drain().catch((error) => this.warn('publish', error, 'publishing presence changes failed; the next tick retries'));
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      await this.tick();
      const rest = this.config.PRESENCE_TICK_MS - (Date.now() - started);
      if (rest > 0 && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, rest);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  async tick(now = Date.now()): Promise<void> {
    try {
      const wasLeader = this.isLeader;
      this.isLeader = await this.store.acquireLeadership(this.instanceId, LOCK_TTL_MS);
      this.metrics.leader.set(this.isLeader ? 1 : 0);
      if (this.isLeader !== wasLeader) this.logger.info({ instanceId: this.instanceId }, this.isLeader ? 'leading: sweeper and outbox' : 'no longer leading');
      if (!this.isLeader) return;
      await this.sweep(now);
      await this.publisher.drain();
      this.metrics.outboxBacklog.set(await this.store.outboxLength());
    } catch (error) {
      this.metrics.sweepFailures.inc();
      this.warn('tick', error, 'presence sweep failed; retrying next tick');
    }
  }

  private async sweep(now: number): Promise<void> {
    const watermark = await this.store.watermark(this.partitionCount);
    if (watermark === null) {
      // Normal for a moment after a (first) start; worth a warning only if it lasts.
      if (this.pastStartup(now)) this.warnOnce('watermark', 'deadlines wait: not every partition of presence.events has reported its progress yet');
      return;
    }
    const lag = Math.max(0, now - watermark);
    this.metrics.watermarkLag.set(lag / 1000);
    // Right after a restart the progress is the previous run's, until the consumer catches up.
    if (lag > LAG_WARN_MS && this.pastStartup(now)) this.warnOnce('lag', `deadlines wait: presence.events applied only up to ${lag} ms ago`);
    const cutoff = watermark - this.config.PRESENCE_EVENT_SLACK_MS;
    const expired = await this.engine.expireGateways(cutoff);
    this.metrics.gatewaysExpired.inc(expired.gateways);
    if (expired.gateways > 0) this.logger.info({ gateways: expired.gateways, offline: expired.changes.length }, 'gateway leases expired; their connections dropped');
    const settled = await this.engine.settleDue(cutoff);
    this.metrics.conflicts.inc(expired.conflicts + settled.conflicts);
  }

  private pastStartup(now: number): boolean {
    return now - this.startedAt > LAG_WARN_MS;
  }

  private warn(kind: string, error: unknown, message: string): void {
    if (this.shouldWarn(kind)) this.logger.warn({ err: error }, message);
  }

  private warnOnce(kind: string, message: string): void {
    if (this.shouldWarn(kind)) this.logger.warn(message);
  }

  private shouldWarn(kind: string): boolean {
    const now = Date.now();
    if (now - (this.lastWarned.get(kind) ?? 0) < WARN_EVERY_MS) return false;
    this.lastWarned.set(kind, now);
    return true;
  }

  /** After the consumer stopped: publish what is left, then let another instance lead. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    if (!this.isLeader) return;
    await this.publisher.drain().catch((error) => this.logger.warn({ err: error }, 'final publish failed; the next leader publishes the outbox'));
    await this.store.releaseLeadership(this.instanceId).catch(() => undefined);
    this.isLeader = false;
    this.metrics.leader.set(0);
  }
}
