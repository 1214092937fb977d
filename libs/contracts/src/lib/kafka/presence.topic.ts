import { z } from 'zod';
import { defineTopic } from './topic';
import { RoomIdSchema, UserIdSchema } from '../ids';
import { storableText } from '../storable-text';

const SHORT_MS = String(60 * 60 * 1000);
const GatewayIdSchema = storableText().min(1).max(128);
const ConnectionIdSchema = storableText().min(1).max(128);
const At = z.iso.datetime({ precision: 3 });

const connectionFields = { gatewayId: GatewayIdSchema, connectionId: ConnectionIdSchema, userId: UserIdSchema, at: At };

/**
 * What gateways tell the presence service. Connection events carry the connection; the
 * heartbeat is one per gateway (not per socket): it renews the gateway's lease, and a gateway
 * whose lease expires is taken for dead with all its connections.
 */
export const PresenceEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('connection_opened'), ...connectionFields }),
  z.object({ type: z.literal('connection_closed'), ...connectionFields }),
  z.object({ type: z.literal('room_joined'), ...connectionFields, roomId: RoomIdSchema }),
  z.object({ type: z.literal('room_left'), ...connectionFields, roomId: RoomIdSchema }),
  z.object({
    type: z.literal('gateway_heartbeat'),
    gatewayId: GatewayIdSchema,
    at: At,
    /** The lease this heartbeat grants; the presence service expires the gateway after it. */
    leaseMs: z.number().int().min(1000).max(60_000),
  }),
  /** Said on graceful shutdown: every connection of the gateway is closed at once. */
  z.object({ type: z.literal('gateway_stopped'), gatewayId: GatewayIdSchema, at: At }),
]);
export type PresenceEvent = z.infer<typeof PresenceEventSchema>;

export const PresenceEventsTopic = defineTopic({
  name: 'presence.events.v1',
  schema: PresenceEventSchema,
  // Per-user order for connection events; a gateway's own events stay in order by gatewayId.
  key: (event) => ('userId' in event ? event.userId : event.gatewayId),
  partitions: 6,
  config: { 'retention.ms': SHORT_MS },
});

export const PresenceStatusSchema = z.enum(['online', 'offline']);
export type PresenceStatus = z.infer<typeof PresenceStatusSchema>;

/** Rooms one presence change may name: a user in more rooms takes several records. */
export const MAX_ROOMS_PER_CHANGE = 10_000;

/**
 * A real transition of a user (never a flap inside the reconnect grace period), with the rooms
 * whose members should hear of it: gateways emit presence:update to their local sockets there.
 */
export const PresenceChangeSchema = z.object({
  userId: UserIdSchema,
  status: PresenceStatusSchema,
  lastSeenAt: At,
  rooms: z.array(RoomIdSchema).max(MAX_ROOMS_PER_CHANGE),
});
export type PresenceChange = z.infer<typeof PresenceChangeSchema>;

export const PresenceChangesTopic = defineTopic({
  name: 'presence.changes.v1',
  schema: PresenceChangeSchema,
  key: (change) => change.userId,
  partitions: 6,
  // Compacted: the latest state of every user, for any consumer that starts from the beginning.
  config: { 'cleanup.policy': 'compact' },
});
