import { at } from './checked';

/** Who is in which room, who connects where, and in which order users take turns sending. */
export interface Topology {
  /** rooms[r] = the user indices of room r, in member order. */
  readonly rooms: readonly (readonly number[])[];
  /** memberships[u] = the rooms of user u with u's member index in each. */
  readonly memberships: readonly (readonly Membership[])[];
  /** The order in which users send: consecutive turns go to different rooms where possible. */
  readonly sendOrder: readonly number[];
}

export interface Membership {
  room: number;
  member: number;
}

/**
 * R rooms of M members over N users: member j of room r is user (r·M + j) mod N. With N = R·M
 * every user is in exactly one room and a room's members have consecutive indices, so the
 * round-robin over gateways by user index spreads every room over every gateway (fan-out always
 * crosses gateways); with N < R·M users are in several rooms, with N > R·M some users are idle.
 * Users take turns sending member-major (member 0 of every room, then member 1, ...), so
 * consecutive sends go to different rooms.
 */
export function buildTopology(users: number, rooms: number, members: number): Topology {
  if (!Number.isInteger(users) || users < 1) throw new Error('users must be a positive integer');
  if (!Number.isInteger(rooms) || rooms < 1) throw new Error('rooms must be a positive integer');
  if (!Number.isInteger(members) || members < 1) throw new Error('members must be a positive integer');
  if (members > users) throw new Error(`a room of ${members} members needs at least ${members} users (got ${users})`);
  const roomList: number[][] = [];
  const memberships: Membership[][] = Array.from({ length: users }, () => []);
  for (let r = 0; r < rooms; r++) {
    const list: number[] = [];
    for (let j = 0; j < members; j++) {
      let user = (r * members + j) % users;
      // With N < R·M the formula may land on a user already in this room: take the next free one.
      while (list.includes(user)) user = (user + 1) % users;
      list.push(user);
      at(memberships, user, 'user').push({ room: r, member: j });
    }
    roomList.push(list);
  }
  const sendOrder: number[] = [];
  const queued = new Set<number>();
  for (let j = 0; j < members; j++) {
    for (let r = 0; r < rooms; r++) {
      const user = at(at(roomList, r, 'room'), j, 'member');
      if (!queued.has(user)) {
        queued.add(user);
        sendOrder.push(user);
      }
    }
  }
  return { rooms: roomList, memberships, sendOrder };
}

/** Round-robin: user u connects to urls[u mod urls.length]. */
export function urlForUser(urls: readonly string[], user: number): string {
  return at(urls, user % urls.length, 'url');
}
