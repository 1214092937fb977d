import type { PresenceEvent } from '@chat/contracts';

export const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
export const iso = (ms: number) => new Date(ms).toISOString();

type Conn = { gatewayId?: string; connectionId: string; userId: string; at?: number };

/** Presence events as gateways produce them (unit and integration tests). */
export const ev = {
  opened: ({ gatewayId = 'gw-1', connectionId, userId, at = T0 }: Conn): PresenceEvent => ({ type: 'connection_opened', gatewayId, connectionId, userId, at: iso(at) }),
  closed: ({ gatewayId = 'gw-1', connectionId, userId, at = T0 }: Conn): PresenceEvent => ({ type: 'connection_closed', gatewayId, connectionId, userId, at: iso(at) }),
  joined: ({ gatewayId = 'gw-1', connectionId, userId, at = T0 }: Conn, roomId: string): PresenceEvent => ({ type: 'room_joined', gatewayId, connectionId, userId, roomId, at: iso(at) }),
  left: ({ gatewayId = 'gw-1', connectionId, userId, at = T0 }: Conn, roomId: string): PresenceEvent => ({ type: 'room_left', gatewayId, connectionId, userId, roomId, at: iso(at) }),
  heartbeat: (gatewayId: string, leaseMs = 15_000, at = T0): PresenceEvent => ({ type: 'gateway_heartbeat', gatewayId, leaseMs, at: iso(at) }),
  stopped: (gatewayId: string, at = T0): PresenceEvent => ({ type: 'gateway_stopped', gatewayId, at: iso(at) }),
};
