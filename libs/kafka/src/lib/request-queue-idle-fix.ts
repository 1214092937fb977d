/**
 * kafkajs 2.2.4's RequestQueue re-arms a timer after every response even when nothing is queued
 * and nothing is throttled: the delay is then negative, Node runs it after 1 ms, and the check
 * re-arms it again. Every broker connection of every client thus wakes its process ~1,000 times
 * a second for nothing, which was most of an idle service's CPU (ADR 0027; on Node 24 it is
 * also the TimeoutNegativeWarning). Skipping the timer when there is nothing to check is safe:
 * push() arms it again as soon as a request has to wait, and throttling only delays pending
 * requests.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as {
  prototype: RequestQueueState & { scheduleCheckPendingRequests(this: RequestQueueState): void };
};

interface RequestQueueState {
  pending: unknown[];
  throttledUntil: number;
}

export function hasNothingToCheck(queue: RequestQueueState, now = Date.now()): boolean {
  return queue.pending.length === 0 && queue.throttledUntil <= now;
}

// Once per process: Node caches this module, so the prototype is wrapped once.
const schedule = RequestQueue.prototype.scheduleCheckPendingRequests;
RequestQueue.prototype.scheduleCheckPendingRequests = function (this: RequestQueueState) {
  if (hasNothingToCheck(this)) return;
  schedule.call(this);
};
