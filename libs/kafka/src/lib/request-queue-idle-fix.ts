/**
 * Two timers of kafkajs 2.2.4's RequestQueue (one per broker connection) that wake an idle
 * process for nothing; both patched once, when `@chat/kafka` is first imported.
 *
 * 1. It re-arms its pending-request check after every response even when nothing is queued and
 *    nothing is throttled: the delay is then negative, Node runs it after 1 ms, and the check
 *    re-arms it again, ~1,000 wake-ups a second per connection (ADR 0027; on Node 24 it is also
 *    the TimeoutNegativeWarning). Skipping the timer when there is nothing to check is safe:
 *    push() arms it again as soon as a request has to wait, and throttling only delays pending
 *    requests.
 * 2. It looks for timed-out requests every 100 ms, in flight or not: ~9 connections per service
 *    made ~90 timer callbacks a second at rest (ADR 0031). Once a second is enough for timeouts
 *    of 5 to 10 s (KafkaModule, the ops-log sink): a request fails at most a second after its
 *    timeout instead of 100 ms after it.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as {
  prototype: RequestQueueState & {
    scheduleCheckPendingRequests(this: RequestQueueState): void;
    scheduleRequestTimeoutCheck(this: RequestQueueState): void;
  };
};

interface InflightRequest {
  sentAt: number;
  requestTimeout: number;
  timeoutRequest(): void;
}

interface RequestQueueState {
  pending: unknown[];
  throttledUntil: number;
  enforceRequestTimeout: boolean;
  requestTimeout: number;
  requestTimeoutIntervalId: ReturnType<typeof setInterval> | null;
  inflight: Map<number, InflightRequest>;
  isConnected(): boolean;
  destroy(): void;
}

export const REQUEST_TIMEOUT_CHECK_MS = 1000;

export function hasNothingToCheck(queue: Pick<RequestQueueState, 'pending' | 'throttledUntil'>, now = Date.now()): boolean {
  return queue.pending.length === 0 && queue.throttledUntil <= now;
}

// Once per process: Node caches this module, so the prototype is patched once.
const schedule = RequestQueue.prototype.scheduleCheckPendingRequests;
RequestQueue.prototype.scheduleCheckPendingRequests = function (this: RequestQueueState) {
  if (hasNothingToCheck(this)) return;
  schedule.call(this);
};

// kafkajs 2.2.4's body, with the period as the only change.
RequestQueue.prototype.scheduleRequestTimeoutCheck = function (this: RequestQueueState) {
  if (!this.enforceRequestTimeout) return;
  this.destroy();
  this.requestTimeoutIntervalId = setInterval(() => {
    this.inflight.forEach((request) => {
      if (Date.now() - request.sentAt > request.requestTimeout) request.timeoutRequest();
    });
    if (!this.isConnected()) this.destroy();
  }, Math.min(this.requestTimeout, REQUEST_TIMEOUT_CHECK_MS));
};
