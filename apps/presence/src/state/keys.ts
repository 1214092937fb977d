import { z } from 'zod';
import { jsonCodec, RedisKeys } from '@chat/contracts';
import type { UserPresence } from './user-presence';

/**
 * The presence service's Redis data model: the one place it is described.
 *
 * Every key is under `presence:`. The service is the only writer of all of them; gateways read
 * only `presence:room:{roomId}` (declared in @chat/contracts). Standalone Redis: the commit
 * script touches keys it computes, so Redis Cluster is not supported.
 *
 * State of the world (shared by every consumer group):
 *
 * | key | type | content |
 * |---|---|---|
 * | presence:user:{userId} | string | JSON {@link UserPresence} of an online user (absent = offline): live connections per gateway with the rooms each joined, rooms kept through the grace period, and while no connection is live `closedAt` and `offlineAt` |
 * | presence:room:{roomId} | set | users online with a live connection that joined the room, or within its grace (the gateways' `online` list) |
 * | presence:pending | zset | userId → epoch ms of the user's next deadline (go offline, or drop a room kept for grace) |
 * | presence:leases | zset | gatewayId → epoch ms its lease ends (renewed by heartbeats) |
 * | presence:gateway:{gatewayId}:conns | hash | connectionId → userId: the gateway's live connections (what its death drops) |
 * | presence:gateway:{gatewayId}:gone | string | epoch ms the gateway stopped or its lease ran out; connection events it stamped up to then are stale. Expires after an hour (the topic's retention). |
 *
 * Progress of one consumer group (`{group}` = PRESENCE_GROUP_ID):
 *
 * | key | type | content |
 * |---|---|---|
 * | presence:group:{group}:applied | hash | partition → next offset of presence.events.v1 whose effect is in Redis (redeliveries below it are skipped) |
 * | presence:group:{group}:caughtup | hash | partition → epoch ms: every record that reached Kafka before it is applied (the watermark deadlines wait for) |
 * | presence:group:{group}:outbox | stream | field `v` = PresenceChange JSON, appended in the same atomic commit as the transition; the leader publishes and deletes them in order |
 * | presence:group:{group}:leader | string | instance id of the process running the sweeper and the outbox publisher (SET NX PX) |
 *
 * Every state change is one atomic compare-and-set script ({@link COMMIT_SCRIPT}): it checks that
 * the keys the decision was computed from are unchanged, then applies all writes, so consumers of
 * different partitions, the sweeper and gateway drops never lose each other's updates.
 */
export const PresenceKeys = {
  user: (userId: string) => `presence:user:${userId}`,
  roomOnline: (roomId: string) => RedisKeys.presenceRoomOnline(roomId),
  pending: 'presence:pending',
  leases: 'presence:leases',
  gatewayConns: (gatewayId: string) => `presence:gateway:${gatewayId}:conns`,
  gatewayGone: (gatewayId: string) => `presence:gateway:${gatewayId}:gone`,
  applied: (group: string) => `presence:group:${group}:applied`,
  caughtUp: (group: string) => `presence:group:${group}:caughtup`,
  outbox: (group: string) => `presence:group:${group}:outbox`,
  leader: (group: string) => `presence:group:${group}:leader`,
} as const;

const UserPresenceSchema: z.ZodType<UserPresence> = z.object({
  onlineAt: z.string(),
  conns: z.record(z.string(), z.record(z.string(), z.array(z.string()))),
  linger: z.record(z.string(), z.number()),
  closedAt: z.string().optional(),
  offlineAt: z.number().optional(),
});

/** The values of the keys above that hold JSON, each read and written through its codec. */
export const PresenceValues = {
  /** presence:user:{userId}. */
  user: jsonCodec(UserPresenceSchema),
} as const;

/** How long a gone gateway's tombstone is kept: presence.events.v1 keeps records an hour. */
export const GONE_TTL_SECONDS = 3600;

/**
 * Compare-and-set: `checks` are [kind, key, (field|member), expected] with expected null for
 * "absent"; if any differs nothing is written and 0 is returned. Otherwise every op (a Redis
 * command as an array of strings) runs, in order, and 1 is returned.
 */
export const COMMIT_SCRIPT = `
local req = cjson.decode(ARGV[1])
for _, c in ipairs(req.checks) do
  local kind, key, actual, expected = c[1], c[2], nil, nil
  if kind == 'get' then
    actual = redis.call('GET', key); expected = c[3]
  elseif kind == 'hget' then
    actual = redis.call('HGET', key, c[3]); expected = c[4]
  elseif kind == 'zscore' then
    actual = redis.call('ZSCORE', key, c[3]); expected = c[4]
  elseif kind == 'hlen' then
    actual = tostring(redis.call('HLEN', key)); expected = c[3]
  else
    return redis.error_reply('unknown check ' .. tostring(kind))
  end
  if expected == cjson.null then expected = false end
  if actual ~= expected then return 0 end
end
for _, op in ipairs(req.ops) do
  redis.call(unpack(op))
end
return 1
`;

/** Takes the leader lock or renews it if this instance holds it: 1 when held afterwards. */
export const LEADER_SCRIPT = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`;

/** Releases the leader lock only if this instance holds it. */
export const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;
