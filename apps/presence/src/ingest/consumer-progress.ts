interface Round {
  /** When the node's current fetch started. */
  start: number;
  /** No batch of the round failed or stopped short of the partition's high watermark. */
  clean: boolean;
  /** Start of the node's last clean round that has been fully processed. */
  completed: number | null;
}

/** A node that has not fetched for this long no longer leads any of our partitions. */
const STALE_NODE_MS = 5000;

/**
 * How far this consumer has applied its partitions, as a time: every record that reached Kafka
 * before `at` is in Redis. The leader acts on a deadline (a grace period, a lease) only once all
 * partitions are caught up past it, so a presence service that was down or is lagging never
 * takes a user offline whose reconnect (or a gateway whose heartbeat) is still unread in Kafka.
 *
 * It relies on how kafkajs 2 fetches: per broker node, fetch → hand every batch to eachBatch →
 * wait until all are processed → fetch again (FETCH_START). So when a node's next fetch starts,
 * its previous fetch is fully applied; and if none of that fetch's batches stopped short of its
 * partition's high watermark, everything the broker had when the fetch started is applied.
 */
export class ConsumerProgress {
  private assigned: number[] = [];
  private readonly rounds = new Map<number, Round & { seenAt: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** A (re)join: the partitions of presence.events.v1 this member now owns. */
  onGroupJoin(partitions: readonly number[]): void {
    this.assigned = [...partitions].sort((a, b) => a - b);
    this.rounds.clear();
  }

  /** Ownership is in flux until the next join: claim nothing. */
  onRebalancing(): void {
    this.assigned = [];
    this.rounds.clear();
  }

  onFetchStart(nodeId: number): void {
    const now = this.clock();
    const round = this.rounds.get(nodeId);
    if (!round) {
      this.rounds.set(nodeId, { start: now, clean: true, completed: null, seenAt: now });
      return;
    }
    if (round.clean) round.completed = round.start;
    round.start = now;
    round.clean = true;
    round.seenAt = now;
  }

  /** After each batch: `caughtUp` when it reached the partition's high watermark. */
  onBatch(caughtUp: boolean): void {
    // Batches do not say which node they came from: taint every round in flight.
    if (!caughtUp) for (const round of this.rounds.values()) round.clean = false;
  }

  onBatchFailed(): void {
    this.onBatch(false);
  }

  /** The assigned partitions and the time they are all applied up to, or null if not known. */
  caughtUp(): { partitions: number[]; at: number } | null {
    if (this.assigned.length === 0) return null;
    const now = this.clock();
    const live = [...this.rounds.values()].filter((r) => now - r.seenAt <= STALE_NODE_MS);
    if (live.length === 0 || live.some((r) => r.completed === null)) return null;
    return { partitions: this.assigned, at: Math.min(...live.map((r) => r.completed as number)) };
  }
}
