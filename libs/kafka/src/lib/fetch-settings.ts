import type { ConsumerConfig } from 'kafkajs';

export type FetchSettings = Required<Pick<ConsumerConfig, 'minBytes' | 'maxWaitTimeInMs'>>;

/**
 * How every consumer on a latency path fetches (ADR 0025): the broker answers as soon as it has
 * one byte, so a new record is delivered at once, and otherwise holds the fetch for two seconds,
 * so an idle consumer costs the broker and itself one fetch every two seconds (ADR 0029: it was
 * half a second, and the ~100 a second of a 10 ms wait before that). The price: a clean stop
 * and a rebalance wait for the fetch in flight, up to that long. Under load this batches by
 * itself: what arrives while a batch is handled is the next fetch's answer, so fetches per
 * second never exceed what the consumer can handle. kafkajs adds no sleep between fetches, except when every assigned partition is paused
 * (then it sleeps maxWaitTimeInMs before looking again).
 */
export const LOW_LATENCY_FETCH: FetchSettings = { minBytes: 1, maxWaitTimeInMs: 2000 };

/** Fetch settings plus pacing: with minIntervalMs, a busy consumer's fetches start at least that far apart (FetchPacer). */
export interface PacedFetchSettings extends FetchSettings {
  minIntervalMs?: number;
}

/**
 * How consumers off the latency path fetch (ADR 0028): like LOW_LATENCY_FETCH when quiet (a
 * record is taken on arrival, an idle fetch is held two seconds), but under load at most ten
 * fetches a second, so each batch (a Redis script, an SQL statement) carries ~100 ms of records.
 */
export const BATCHED_FETCH: PacedFetchSettings = { ...LOW_LATENCY_FETCH, minIntervalMs: 100 };
