import { ChatSignal, ErrorCode } from '@chat/contracts';
import type { Logger } from '@chat/logging';
import { ChatSession } from '../chat/chat-session';
import { EventRateLimiter, RateBuckets } from '../limits/event-rate-limiter';
import { SignalPublisher } from './signal-publisher';
import { SignalsService } from './signals.service';

function setup(expiryMs = 5000, eventBurst = 200) {
  const published: ChatSignal[] = [];
  const publisher = { publish: jest.fn(async (s: ChatSignal) => void published.push(s)) };
  const service = new SignalsService('gw-1', publisher as unknown as SignalPublisher, { warn: jest.fn() } as unknown as Logger, expiryMs);
  const rooms = new Set(['general']);
  const alice: ChatSession = {
    connectionId: 'c1',
    user: { id: 'alice' },
    limiter: new EventRateLimiter(
      new RateBuckets({ send: { ratePerSec: 20, burst: 40 }, events: { ratePerSec: 50, burst: eventBurst } }, () => 0),
      new RateBuckets({ send: { ratePerSec: 40, burst: 80 }, events: { ratePerSec: 100, burst: 400 } }, () => 0),
    ),
    isIn: (r) => rooms.has(r),
    roomCount: () => rooms.size,
    join: (r) => void rooms.add(r),
    leave: (r) => void rooms.delete(r),
  };
  return { service, published, alice };
}

describe('SignalsService (fake publisher)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('publishes typing with its origin, and ends it after the expiry with no update', async () => {
    const { service, published, alice } = setup();
    await service.setTyping(alice, { roomId: 'general', typing: true });
    expect(published).toEqual([{ type: 'typing', roomId: 'general', userId: 'alice', typing: true, origin: { gatewayId: 'gw-1', connectionId: 'c1' } }]);
    jest.advanceTimersByTime(4999);
    expect(published).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(published[1]).toMatchObject({ type: 'typing', typing: false, userId: 'alice' });
  });

  it('restarts the expiry on every update and stops it on typing false', async () => {
    const { service, published, alice } = setup();
    await service.setTyping(alice, { roomId: 'general', typing: true });
    jest.advanceTimersByTime(4000);
    await service.setTyping(alice, { roomId: 'general', typing: true });
    jest.advanceTimersByTime(4000);
    expect(published).toHaveLength(2);
    await service.setTyping(alice, { roomId: 'general', typing: false });
    jest.advanceTimersByTime(10_000);
    expect(published.map((s) => s.type === 'typing' && s.typing)).toEqual([true, true, false]);
  });

  it('ends typing when the connection goes away', async () => {
    const { service, published, alice } = setup();
    await service.setTyping(alice, { roomId: 'general', typing: true });
    service.leftRoom('c1');
    expect(published[1]).toMatchObject({ typing: false });
    jest.advanceTimersByTime(10_000);
    expect(published).toHaveLength(2);
  });

  it('publishes receipts, and refuses signals for rooms not joined', async () => {
    const { service, published, alice } = setup();
    await service.markRead(alice, { roomId: 'general', offset: 42 });
    expect(published[0]).toMatchObject({ type: 'receipt', roomId: 'general', userId: 'alice', offset: 42 });
    await expect(service.markRead(alice, { roomId: 'other', offset: 1 })).rejects.toMatchObject({ code: ErrorCode.NOT_IN_ROOM });
    await expect(service.setTyping(alice, { roomId: 'general', typing: 'yes' })).rejects.toMatchObject({ code: ErrorCode.INVALID_PAYLOAD });
  });

  it('rate-limits typing and receipts together beyond the events burst, without publishing', async () => {
    const { service, published, alice } = setup(5000, 3);
    await service.setTyping(alice, { roomId: 'general', typing: true });
    await service.markRead(alice, { roomId: 'general', offset: 1 });
    await service.markRead(alice, { roomId: 'general', offset: 2 });
    await expect(service.setTyping(alice, { roomId: 'general', typing: true })).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED });
    await expect(service.markRead(alice, { roomId: 'general', offset: 3 })).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED });
    expect(published).toHaveLength(3);
  });
});
