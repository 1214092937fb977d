import { hasNothingToCheck } from './request-queue-idle-fix';

// The real kafkajs RequestQueue, with the fix applied by the import above.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue');

const noopLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function queue(options: { enforceRequestTimeout?: boolean; requestTimeout?: number; isConnected?: () => boolean } = {}) {
  return new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 1000, enforceRequestTimeout: false, clientId: 't', broker: 'b', logger: noopLogger, ...options });
}

describe('kafkajs RequestQueue idle timer fix', () => {
  afterEach(() => jest.useRealTimers());

  it('knows when there is nothing to check', () => {
    expect(hasNothingToCheck({ pending: [], throttledUntil: -1 }, 1000)).toBe(true);
    expect(hasNothingToCheck({ pending: [{}], throttledUntil: -1 }, 1000)).toBe(false);
    expect(hasNothingToCheck({ pending: [], throttledUntil: 2000 }, 1000)).toBe(false);
  });

  it('arms no timer after a check of an empty, unthrottled queue', () => {
    jest.useFakeTimers();
    const q = queue();
    q.checkPendingRequests();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('still arms the timer when a request waits, and sends it once the throttle ends', () => {
    jest.useFakeTimers();
    const q = queue();
    q.throttledUntil = Date.now() + 50;
    const sent = jest.fn();
    q.pending.push({ send: sent, expectResponse: true, correlationId: 1 });
    q.scheduleCheckPendingRequests();
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(60);
    expect(sent).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('kafkajs RequestQueue request-timeout check', () => {
  afterEach(() => jest.useRealTimers());

  it('looks for timed-out requests once a second, not every 100 ms', () => {
    jest.useFakeTimers();
    const q = queue({ enforceRequestTimeout: true, requestTimeout: 10_000 });
    const timeoutRequest = jest.fn();
    q.inflight.set(1, { sentAt: Date.now(), requestTimeout: 2_500, timeoutRequest });
    q.scheduleRequestTimeoutCheck();
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(2_999);
    expect(timeoutRequest).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(timeoutRequest).toHaveBeenCalledTimes(1);
    q.destroy();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('never checks slower than a shorter request timeout, and stops once disconnected', () => {
    jest.useFakeTimers();
    let connected = true;
    const q = queue({ enforceRequestTimeout: true, requestTimeout: 300, isConnected: () => connected });
    const timeoutRequest = jest.fn();
    q.inflight.set(1, { sentAt: Date.now(), requestTimeout: 300, timeoutRequest });
    q.scheduleRequestTimeoutCheck();
    jest.advanceTimersByTime(600);
    expect(timeoutRequest).toHaveBeenCalledTimes(1);
    connected = false;
    jest.advanceTimersByTime(300);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('arms nothing when request timeouts are not enforced', () => {
    jest.useFakeTimers();
    queue({ enforceRequestTimeout: false }).scheduleRequestTimeoutCheck();
    expect(jest.getTimerCount()).toBe(0);
  });
});
