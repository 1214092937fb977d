import { PresenceChangesTopic } from '@chat/contracts';
import { allDone, InFlightBatcher, produce } from '@chat/kafka';
import type { Logger } from '@chat/logging';
import type { Producer } from 'kafkajs';
import type { PresenceMetrics } from '../health/presence-metrics';
import type { PresenceStore } from '../state/presence-store';
import { toChangeRecords } from './change-records';

/** Outbox entries per produce: a batch's changes (and any left over) go in one send. */
const DRAIN_LIMIT = 1000;

/**
 * Produces the outbox to presence.changes.v1 in order, then deletes what Kafka acknowledged. Only
 * the leader drains, so changes leave in the order they were decided. At-least-once: a crash
 * between the send and the delete sends those changes again (gateways just re-emit them).
 */
export class ChangePublisher {
  /** Drain requests: those made while a drain runs are all answered by the one after it. */
  private readonly requests = new InFlightBatcher<void>({ send: (batch) => this.drainAll().then(() => allDone(batch)), maxBatch: Infinity });

  constructor(
    private readonly producer: Producer,
    private readonly store: PresenceStore,
    private readonly metrics: PresenceMetrics,
    private readonly logger: Logger,
  ) {}

  /** Resolves once everything in the outbox when it was called has been produced. */
  drain(): Promise<void> {
    return this.requests.add();
  }

  private async drainAll(): Promise<void> {
    for (;;) {
      const entries = await this.store.readOutbox(DRAIN_LIMIT);
      if (entries.length === 0) return;
      const { changes, statuses, broken } = toChangeRecords(entries);
      for (const { id, error } of broken) this.logger.error({ id, error }, 'outbox entry is not a valid presence change; dropped');
      await produce(this.producer, PresenceChangesTopic, changes, { acks: -1 });
      await this.store.deleteOutbox(entries.map((e) => e.id));
      for (const status of statuses) this.metrics.changes.inc({ status });
      if (entries.length < DRAIN_LIMIT) return;
    }
  }
}
