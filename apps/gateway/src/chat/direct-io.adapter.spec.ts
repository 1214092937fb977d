import { EventEmitter } from 'node:events';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { DirectIoAdapter } from './direct-io.adapter';

/** A fake socket: Socket.IO calls listeners with (payload..., ack?) just like this emitter. */
class FakeSocket extends EventEmitter {
  readonly sent: Array<[string, unknown]> = [];
  send(event: string, data: unknown) {
    this.sent.push([event, data]);
  }
}

function bind(handlers: Array<Partial<MessageMappingProperties>>, onError = jest.fn(), onEvent = jest.fn()) {
  const socket = new FakeSocket();
  // The adapter answers { event } results with socket.emit: route those to `sent`.
  const asSocket = Object.assign(socket, { emit: socket.send.bind(socket) }) as unknown as Parameters<DirectIoAdapter['bindMessageHandlers']>[0];
  new DirectIoAdapter(undefined, onError, onEvent).bindMessageHandlers(
    asSocket,
    handlers.map((h) => ({ isAckHandledManually: false, methodName: 'm', ...h }) as MessageMappingProperties),
  );
  return { socket, onError, onEvent };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('DirectIoAdapter', () => {
  it('passes the payload and acknowledges with the handler’s result', async () => {
    const callback = jest.fn(async (data: unknown) => ({ ok: true, echo: data }));
    const { socket } = bind([{ message: 'message:send', callback }]);
    const ack = jest.fn();
    EventEmitter.prototype.emit.call(socket, 'message:send', { body: 'hi' }, ack);
    await settle();
    expect(callback).toHaveBeenCalledWith({ body: 'hi' }, ack);
    expect(ack).toHaveBeenCalledWith({ ok: true, echo: { body: 'hi' } });
  });

  it('tells onEvent of each handled event by name, before the handler answers', () => {
    const { socket, onEvent } = bind([{ message: 'typing', callback: jest.fn(() => new Promise(() => undefined)) }]);
    EventEmitter.prototype.emit.call(socket, 'typing', { roomId: 'r' });
    EventEmitter.prototype.emit.call(socket, 'not-a-handler', {});
    expect(onEvent.mock.calls).toEqual([['typing']]);
  });

  it('handles an event with only an ack, and one without an ack', async () => {
    const callback = jest.fn(async () => ({ ok: true }));
    const { socket } = bind([{ message: 'room:leave', callback }]);
    const ack = jest.fn();
    EventEmitter.prototype.emit.call(socket, 'room:leave', ack);
    EventEmitter.prototype.emit.call(socket, 'room:leave', { roomId: 'r' });
    await settle();
    expect(callback).toHaveBeenNthCalledWith(1, undefined, ack);
    expect(callback).toHaveBeenNthCalledWith(2, { roomId: 'r' }, undefined);
    expect(ack).toHaveBeenCalledTimes(1);
  });

  it('routes each event to its own handler only', async () => {
    const join = jest.fn(async () => ({ ok: 'join' }));
    const leave = jest.fn(async () => ({ ok: 'leave' }));
    const { socket } = bind([
      { message: 'room:join', callback: join },
      { message: 'room:leave', callback: leave },
    ]);
    const ack = jest.fn();
    EventEmitter.prototype.emit.call(socket, 'room:join', {}, ack);
    await settle();
    expect(join).toHaveBeenCalledTimes(1);
    expect(leave).not.toHaveBeenCalled();
    expect(ack).toHaveBeenCalledWith({ ok: 'join' });
  });

  it('emits { event, data } results, skips empty ones and leaves manual acks to the handler', async () => {
    const { socket } = bind([
      { message: 'a', callback: async () => ({ event: 'reply', data: 1 }) },
      { message: 'b', callback: async () => undefined },
      { message: 'c', callback: async () => ({ ok: true }), isAckHandledManually: true },
    ]);
    const ack = jest.fn();
    for (const event of ['a', 'b', 'c']) EventEmitter.prototype.emit.call(socket, event, {}, ack);
    await settle();
    expect(socket.sent).toEqual([['reply', 1]]);
    expect(ack).not.toHaveBeenCalled();
  });

  it('reports a failing handler and keeps serving the event afterwards', async () => {
    let calls = 0;
    const callback = jest.fn(async () => {
      if (++calls === 1) throw new Error('boom');
      return { ok: true };
    });
    const { socket, onError } = bind([{ message: 'typing', callback }]);
    const ack = jest.fn();
    EventEmitter.prototype.emit.call(socket, 'typing', {}, ack);
    await settle();
    EventEmitter.prototype.emit.call(socket, 'typing', {}, ack);
    await settle();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'boom' }), 'typing');
    expect(ack).toHaveBeenCalledTimes(1);
  });

  it('turns a handler that throws synchronously into a reported error, not an exception in emit', async () => {
    const callback = jest.fn(() => {
      throw new Error('sync');
    });
    const { socket, onError } = bind([{ message: 'typing', callback }]);
    expect(() => EventEmitter.prototype.emit.call(socket, 'typing', {}, jest.fn())).not.toThrow();
    await settle();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'sync' }), 'typing');
  });
});
