import { Registry } from '@chat/metrics';
import { countingEmitter } from './counting-emitter';
import { GatewayMetrics } from './gateway-metrics';

describe('countingEmitter', () => {
  it('counts each broadcast by event and passes it on unchanged', async () => {
    const metrics = new GatewayMetrics(new Registry());
    const inner = { emitToRooms: jest.fn() };
    const emitter = countingEmitter(inner, metrics);
    emitter.emitToRooms('r1', 'message:new', { body: 'x' });
    emitter.emitToRooms(['r1', 'r2'], 'typing', { typing: true }, 'sock-1');
    emitter.emitToRooms('r1', 'message:new', { body: 'y' });

    expect(inner.emitToRooms).toHaveBeenNthCalledWith(2, ['r1', 'r2'], 'typing', { typing: true }, 'sock-1');
    const values = (await metrics.eventsEmitted.get()).values.map((v) => [v.labels.event, v.value]);
    expect(values).toEqual(expect.arrayContaining([['message:new', 2], ['typing', 1]]));
  });
});
