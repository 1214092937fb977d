import { ClientEvent, ErrorCode } from '@chat/contracts';
import { clientLimits } from './client-limits';
import { ConnectionRegistry } from './connection-registry';
import { loadGatewayConfig } from '../config/gateway.config';

const limits = {
  maxConnectionsPerUser: 2,
  perConnection: { send: { ratePerSec: 1, burst: 2 }, events: { ratePerSec: 1, burst: 3 } },
  perUser: { send: { ratePerSec: 1, burst: 3 }, events: { ratePerSec: 1, burst: 4 } },
};

describe('ConnectionRegistry', () => {
  it('caps the connections of a user, and counts a closed one out (once)', () => {
    const registry = new ConnectionRegistry(limits);
    expect(registry.open('alice', 'c1')).toBeDefined();
    expect(registry.open('alice', 'c2')).toBeDefined();
    expect(registry.open('alice', 'c3')).toBeUndefined();
    expect(registry.open('bob', 'c4')).toBeDefined();
    registry.close('c1');
    registry.close('c1');
    expect(registry.connectionsOf('alice')).toBe(1);
    expect(registry.open('alice', 'c5')).toBeDefined();
    expect(registry.open('alice', 'c6')).toBeUndefined();
  });

  it('limits each connection, and the user across their connections', () => {
    let now = 0;
    const registry = new ConnectionRegistry(limits, () => now);
    const first = registry.open('alice', 'c1');
    const second = registry.open('alice', 'c2');
    const admitted = (limiter: typeof first, event: ClientEvent, times: number) =>
      Array.from({ length: times }, () => {
        try {
          limiter?.admit(event);
          return 'ok';
        } catch (error) {
          return (error as { code: string }).code;
        }
      });
    // Connection burst 3 for events: the fourth on one connection is refused.
    expect(admitted(first, ClientEvent.Typing, 4)).toEqual(['ok', 'ok', 'ok', ErrorCode.RATE_LIMITED]);
    // The user's burst is 4: the second connection has its own 3 but the user only 1 left.
    expect(admitted(second, ClientEvent.ReceiptRead, 2)).toEqual(['ok', ErrorCode.RATE_LIMITED]);
    // message:send has buckets of its own.
    expect(admitted(second, ClientEvent.MessageSend, 3)).toEqual(['ok', 'ok', ErrorCode.RATE_LIMITED]);
    now += 1000;
    expect(admitted(first, ClientEvent.RoomJoin, 2)).toEqual(['ok', ErrorCode.RATE_LIMITED]);
  });

  it('starts a user again from a full bucket once all their connections closed', () => {
    const registry = new ConnectionRegistry(limits, () => 0);
    const limiter = registry.open('alice', 'c1');
    for (let i = 0; i < 3; i++) limiter?.admit(ClientEvent.Typing);
    registry.close('c1');
    expect(registry.connectionsOf('alice')).toBe(0);
    expect(() => registry.open('alice', 'c2')?.admit(ClientEvent.Typing)).not.toThrow();
  });
});

describe('clientLimits', () => {
  it('has the documented defaults, per-user ones twice the per-connection ones', () => {
    expect(clientLimits(loadGatewayConfig({}))).toEqual({
      maxConnectionsPerUser: 20,
      perConnection: { send: { ratePerSec: 20, burst: 40 }, events: { ratePerSec: 50, burst: 200 } },
      perUser: { send: { ratePerSec: 40, burst: 80 }, events: { ratePerSec: 100, burst: 400 } },
    });
  });

  it('takes every limit from its variable, and names a bad one', () => {
    const config = loadGatewayConfig({ USER_SEND_RATE_PER_SEC: '5', USER_SEND_BURST: '6', USER_EVENT_RATE_PER_SEC: '7', USER_EVENT_BURST: '', EVENT_BURST: '9' });
    expect(clientLimits(config).perUser).toEqual({ send: { ratePerSec: 5, burst: 6 }, events: { ratePerSec: 7, burst: 18 } });
    expect(() => loadGatewayConfig({ USER_EVENT_BURST: '0' })).toThrow(/USER_EVENT_BURST/);
    expect(() => loadGatewayConfig({ MAX_ROOMS_PER_CONNECTION: 'many' })).toThrow(/MAX_ROOMS_PER_CONNECTION/);
  });
});
