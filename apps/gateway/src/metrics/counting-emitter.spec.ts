import type { Message, TypingUpdate } from '@chat/contracts';
import { Registry } from '@chat/metrics';
import { countingEmitter } from './counting-emitter';
import { GatewayMetrics } from './gateway-metrics';

describe('countingEmitter', () => {
  it('counts each broadcast by event and passes it on unchanged', async () => {
    const metrics = new GatewayMetrics(new Registry());
    const inner = { emitToRooms: jest.fn() };
    const emitter = countingEmitter(inner, metrics);
    const message = (body: string): Message => ({ messageId: `m-${body}`, roomId: 'r1', senderId: 'u1', body, clientMsgId: `c-${body}`, sentAt: '2026-12-02T00:00:00.000Z', offset: 1 });
    const typing: TypingUpdate = { roomId: 'r1', userId: 'u1', typing: true };
    emitter.emitToRooms('r1', 'message:new', message('x'));
    emitter.emitToRooms(['r1', 'r2'], 'typing', typing, 'sock-1');
    emitter.emitToRooms('r1', 'message:new', message('y'));

    expect(inner.emitToRooms).toHaveBeenNthCalledWith(2, ['r1', 'r2'], 'typing', typing, 'sock-1');
    const values = (await metrics.eventsEmitted.get()).values.map((v) => [v.labels.event, v.value]);
    expect(values).toEqual(expect.arrayContaining([['message:new', 2], ['typing', 1]]));
  });
});
