import { iso, T0 } from '../testing/events';
import {
  closeConnection,
  connectionCount,
  dropConnection,
  dueAt,
  joinRoom,
  leaveRoom,
  openConnection,
  presentRooms,
  settle,
  Timing,
  UserPresence,
} from './user-presence';

const t: Timing = { now: T0, graceMs: 1000 };
const at = iso(T0);

/** alice with one connection c1 on gw-1 that joined `rooms`. */
function aliceIn(...rooms: string[]): UserPresence {
  let user = openConnection(null, 'alice', 'gw-1', 'c1', at).user;
  for (const room of rooms) user = joinRoom(user, 'alice', 'gw-1', 'c1', room, at).user;
  return user as UserPresence;
}

describe('presence transitions', () => {
  it('offline → online on the first connection, with the rooms the user is in (none yet)', () => {
    const { user, changes } = openConnection(null, 'alice', 'gw-1', 'c1', at);
    expect(changes).toEqual([{ userId: 'alice', status: 'online', lastSeenAt: at, rooms: [] }]);
    expect(user).toEqual({ onlineAt: at, conns: { 'gw-1': { c1: [] } }, linger: {} });
  });

  it('a second connection (another device) publishes nothing; the same open again is a no-op', () => {
    const alice = aliceIn();
    expect(openConnection(alice, 'alice', 'gw-2', 'c2', iso(T0 + 5)).changes).toEqual([]);
    const again = openConnection(alice, 'alice', 'gw-1', 'c1', at);
    expect(again).toEqual({ user: alice, changes: [] });
  });

  it('announces the user to a room they become present in, once', () => {
    const alice = aliceIn();
    const joined = joinRoom(alice, 'alice', 'gw-1', 'c1', 'lobby', iso(T0 + 100));
    // lastSeenAt of an online change is when the user came online, not when they joined.
    expect(joined.changes).toEqual([{ userId: 'alice', status: 'online', lastSeenAt: at, rooms: ['lobby'] }]);
    expect(joinRoom(joined.user, 'alice', 'gw-1', 'c1', 'lobby', at).changes).toEqual([]);
    const second = openConnection(joined.user, 'alice', 'gw-2', 'c2', at).user;
    expect(joinRoom(second, 'alice', 'gw-2', 'c2', 'lobby', at).changes).toEqual([]);
  });

  it('a join from a connection whose open was never seen opens it first', () => {
    const { user, changes } = joinRoom(null, 'alice', 'gw-1', 'c1', 'lobby', at);
    expect(changes.map((c) => c.rooms)).toEqual([[], ['lobby']]);
    expect(connectionCount(user)).toBe(1);
  });

  it('closing one of two connections keeps the user online and its rooms present for the grace period', () => {
    let alice = aliceIn('lobby');
    alice = openConnection(alice, 'alice', 'gw-2', 'c2', at).user as UserPresence;
    const { user, changes } = closeConnection(alice, 'gw-1', 'c1', at, t);
    expect(changes).toEqual([]);
    expect(connectionCount(user)).toBe(1);
    expect(user?.offlineAt).toBeUndefined();
    expect(presentRooms(user)).toEqual(['lobby']);
    expect(dueAt(user)).toBe(T0 + 1000);
    // After the grace, a room no live connection rejoined is dropped; the user stays online.
    const settled = settle(user, 'alice', T0 + 1000);
    expect(settled.changes).toEqual([]);
    expect(presentRooms(settled.user)).toEqual([]);
    expect(dueAt(settled.user)).toBeNull();
  });

  it('closing the last connection starts the grace period instead of going offline', () => {
    const { user, changes } = closeConnection(aliceIn('lobby', 'dev'), 'gw-1', 'c1', iso(T0 + 7), t);
    expect(changes).toEqual([]);
    expect(user).toMatchObject({ closedAt: iso(T0 + 7), offlineAt: T0 + 1000, linger: { lobby: T0 + 1000, dev: T0 + 1000 } });
    expect(settle(user, 'alice', T0 + 999).changes).toEqual([]);
  });

  it('goes offline when the grace runs out, with every room and lastSeenAt = the close', () => {
    const closed = closeConnection(aliceIn('lobby', 'dev'), 'gw-1', 'c1', iso(T0 + 7), t).user;
    expect(settle(closed, 'alice', T0 + 1000)).toEqual({
      user: null,
      changes: [{ userId: 'alice', status: 'offline', lastSeenAt: iso(T0 + 7), rooms: ['lobby', 'dev'] }],
    });
  });

  it('a reconnect within the grace period publishes nothing and keeps the room presence', () => {
    const closed = closeConnection(aliceIn('lobby'), 'gw-1', 'c1', at, t).user;
    const back = openConnection(closed, 'alice', 'gw-2', 'c9', iso(T0 + 400));
    expect(back.changes).toEqual([]);
    expect(back.user?.offlineAt).toBeUndefined();
    expect(back.user?.onlineAt).toBe(at);
    // Rejoining the kept room is no news to its members.
    const rejoined = joinRoom(back.user, 'alice', 'gw-2', 'c9', 'lobby', iso(T0 + 500));
    expect(rejoined.changes).toEqual([]);
    expect(rejoined.user?.linger).toEqual({});
    expect(settle(rejoined.user, 'alice', T0 + 5000)).toEqual({ user: rejoined.user, changes: [] });
  });

  it('room_left by the last connection in the room removes the user from it at once', () => {
    let alice = aliceIn('lobby');
    alice = joinRoom(openConnection(alice, 'alice', 'gw-1', 'c2', at).user, 'alice', 'gw-1', 'c2', 'lobby', at).user as UserPresence;
    const once = leaveRoom(alice, 'gw-1', 'c1', 'lobby');
    expect(presentRooms(once.user)).toEqual(['lobby']);
    const twice = leaveRoom(once.user, 'gw-1', 'c2', 'lobby');
    expect(presentRooms(twice.user)).toEqual([]);
    expect(twice.changes).toEqual([]);
    expect(leaveRoom(twice.user, 'gw-1', 'c2', 'lobby').user).toBe(twice.user);
  });

  it('dropping the last connection of a gone gateway goes offline at once, no grace', () => {
    const lastSeenAt = iso(T0 + 15_000);
    expect(dropConnection(aliceIn('lobby'), 'alice', 'gw-1', 'c1', lastSeenAt, t)).toEqual({
      user: null,
      changes: [{ userId: 'alice', status: 'offline', lastSeenAt, rooms: ['lobby'] }],
    });
  });

  it('dropping a connection while another device is connected keeps the user online', () => {
    const alice = openConnection(aliceIn('lobby'), 'alice', 'gw-2', 'c2', at).user;
    const { user, changes } = dropConnection(alice, 'alice', 'gw-1', 'c1', at, t);
    expect(changes).toEqual([]);
    expect(connectionCount(user)).toBe(1);
  });

  it('ignores closes, leaves and drops of connections it does not know', () => {
    expect(closeConnection(null, 'gw-1', 'c1', at, t)).toEqual({ user: null, changes: [] });
    const alice = aliceIn();
    expect(closeConnection(alice, 'gw-1', 'other', at, t).user).toBe(alice);
    expect(leaveRoom(alice, 'gw-9', 'c1', 'lobby').user).toBe(alice);
    expect(dropConnection(alice, 'alice', 'gw-9', 'c1', at, t).user).toBe(alice);
  });

  it('never mutates the state it is given', () => {
    const alice = aliceIn('lobby');
    const snapshot = JSON.stringify(alice);
    closeConnection(alice, 'gw-1', 'c1', at, t);
    joinRoom(alice, 'alice', 'gw-1', 'c1', 'dev', at);
    leaveRoom(alice, 'gw-1', 'c1', 'lobby');
    dropConnection(alice, 'alice', 'gw-1', 'c1', at, t);
    expect(JSON.stringify(alice)).toBe(snapshot);
  });
});
