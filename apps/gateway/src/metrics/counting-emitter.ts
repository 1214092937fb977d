import type { RoomEmitter } from '../fanout/room-emitter';
import type { GatewayMetrics } from './gateway-metrics';

/** The fan-out's emitter, counting each broadcast by event (gateway_events_emitted_total). */
export function countingEmitter(emitter: RoomEmitter, metrics: Pick<GatewayMetrics, 'eventsEmitted'>): RoomEmitter {
  return {
    emitToRooms(rooms, event, payload, exceptSocketId) {
      metrics.eventsEmitted.inc({ event });
      emitter.emitToRooms(rooms, event, payload, exceptSocketId);
    },
  };
}
