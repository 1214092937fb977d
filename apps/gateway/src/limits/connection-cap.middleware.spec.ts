import { EventEmitter } from 'node:events';
import { ErrorCode } from '@chat/contracts';
import { CapHandshake, connectionCapMiddleware } from './connection-cap.middleware';
import { ConnectionRegistry } from './connection-registry';

const rate = { ratePerSec: 1, burst: 1 };
const limits = { maxConnectionsPerUser: 1, perConnection: { send: rate, events: rate }, perUser: { send: rate, events: rate } };

/** A socket after authentication: its user in data, its transport an emitter. */
function handshake(id: string, userId: string) {
  const conn = new EventEmitter();
  const socket: CapHandshake = { id, data: { user: { id: userId } }, conn };
  return { socket, conn };
}

describe('connectionCapMiddleware', () => {
  it('refuses the connection beyond the cap with TOO_MANY_CONNECTIONS, and hands the others a limiter', () => {
    const middleware = connectionCapMiddleware(new ConnectionRegistry(limits));
    const first = handshake('s1', 'alice');
    const next = jest.fn();
    middleware(first.socket, next);
    expect(next).toHaveBeenLastCalledWith();
    expect(first.socket.data.limiter).toBeDefined();
    middleware(handshake('s2', 'alice').socket, next);
    expect(next).toHaveBeenLastCalledWith(expect.objectContaining({ message: ErrorCode.TOO_MANY_CONNECTIONS }));
  });

  it('counts out a connection whose transport closes before it was ever connected', () => {
    const registry = new ConnectionRegistry(limits);
    const middleware = connectionCapMiddleware(registry);
    const first = handshake('s1', 'alice');
    middleware(first.socket, jest.fn());
    first.conn.emit('close');
    expect(registry.connectionsOf('alice')).toBe(0);
  });
});
