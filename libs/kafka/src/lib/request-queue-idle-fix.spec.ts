import { hasNothingToCheck } from './request-queue-idle-fix';

// The real kafkajs RequestQueue, with the fix applied by the import above.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue');

const noopLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function queue() {
  return new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 1000, enforceRequestTimeout: false, clientId: 't', broker: 'b', logger: noopLogger });
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
